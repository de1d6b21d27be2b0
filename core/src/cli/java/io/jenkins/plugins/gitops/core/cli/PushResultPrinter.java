package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;

/**
 * How {@code push} and {@code update} report: the pushed commit alone on stdout (so that {@code SHA=$(gitops update
 * ...)} works), nothing there when there was nothing to push, the details on stderr.
 */
final class PushResultPrinter {

    private final Console console;

    PushResultPrinter(Console console) {
        this.console = console;
    }

    int result(UpdateResult result) {
        if (result instanceof UpdateResult.Pushed pushed) {
            // the engine's progress has said "Pushed <sha> to <branch>" on stderr already
            console.message("changed " + String.join(", ", pushed.files()));
            console.result(pushed.commit());
            ObjectNode node = Console.object("PUSHED", ExitCode.OK);
            node.put("commit", pushed.commit());
            node.put("branch", pushed.branch());
            node.put("attempts", pushed.attempts());
            pushed.files().forEach(node.putArray("files")::add);
            console.result(node);
            return ExitCode.OK.code();
        }
        // the engine's progress has given the reason on stderr already
        UpdateResult.NoChange none = (UpdateResult.NoChange) result;
        ObjectNode node = Console.object("NOTHING_TO_CHANGE", ExitCode.NOTHING_TO_CHANGE);
        node.put("branch", none.branch());
        node.put("attempts", none.attempts());
        node.put("message", none.reason());
        console.result(node);
        return ExitCode.NOTHING_TO_CHANGE.code();
    }

    int failure(RuntimeException e) {
        return console.fail(failureOf(e));
    }

    private static Failure failureOf(RuntimeException e) {
        if (e instanceof GitOperationException git) {
            ExitCode exit = switch (git.kind()) {
                case AUTHENTICATION, HOST_KEY -> ExitCode.AUTH_FAILED;
                case PUSH_REJECTED -> ExitCode.PUSH_REJECTED;
                case ATTEMPTS_EXHAUSTED -> ExitCode.ATTEMPTS_EXHAUSTED;
                case BAD_INPUT -> ExitCode.BAD_INPUT;
                case TRANSPORT -> ExitCode.FAILURE;
            };
            return new Failure(exit, Failure.kebab(git.kind().name()), e.getMessage());
        }
        if (e instanceof JournalledEdits.ImageNotFoundException) {
            return new Failure(ExitCode.IMAGE_NOT_FOUND, "image-not-found", e.getMessage());
        }
        if (e instanceof ManifestEditException edit) {
            return Failure.of(edit);
        }
        if (e instanceof IllegalArgumentException) {
            return Failure.badArgument(e.getMessage());
        }
        throw e;
    }
}
