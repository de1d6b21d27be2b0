package io.jenkins.plugins.gitops.core.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.EditJournal;
import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link ChangeSetCrashTest} kills: applies one edit to every values file in a directory, journalled
 * when the directory is a checkout, and halts the JVM (no finally block, no shutdown hook: as kill -9) at the
 * checkpoint named on the command line, if any. Prints {@code READY} before the edit, {@code WRITING} once the
 * change set's record is on disk and {@code DONE} at the end.
 *
 * <p>Arguments: {@code DIR STEP INDEX}, with {@code STEP} a {@link ChangeSetWriter.Step} or {@code none}.
 */
public final class ChangeSetCrashChild {

    private ChangeSetCrashChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String haltStep = args[1];
        int haltIndex = Integer.parseInt(args[2]);
        ChangeSetWriter.Checkpoint halt = (step, index) -> {
            if (step.name().equals(haltStep) && index == haltIndex) {
                Runtime.getRuntime().halt(137);
            }
            if (step == ChangeSetWriter.Step.INTENT_WRITTEN) {
                System.out.println("WRITING"); // the parent times its kill from here
                System.out.flush();
            }
        };
        EditRequest request = EditRequest.of(ImageUpdate.tag("acme/web", "2"));
        ManifestEditor editor = new ManifestEditor(dir, ManifestEditor.Limits.DEFAULT, halt);
        editor.plan(request); // load every class the write needs, so that a random kill lands in the write more often
        System.out.println("READY");
        System.out.flush();
        editor.apply(request, report -> EditJournal.forCheckout(dir).map(journal -> {
            ObjectMapper json = new ObjectMapper();
            ObjectNode entry = json.createObjectNode().put("directory", "");
            try {
                entry.set("request", json.readTree(request.toJson()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            entry.putArray("changes");
            EditJournal.Appended appended = journal.appending(entry);
            return List.of(new CompanionFile(appended.file(), appended.current(), appended.next()));
        }).orElse(List.of()));
        System.out.println("DONE");
    }
}
