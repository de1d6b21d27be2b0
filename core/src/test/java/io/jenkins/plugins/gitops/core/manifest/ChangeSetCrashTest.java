package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.git.EditJournal;
import io.jenkins.plugins.gitops.core.manifest.ChangeSetWriter.Step;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A change set whose writer process dies (a real JVM, halted at each step, or killed with SIGKILL at random
 * moments): the next run finds the record, and afterwards every file set is all old or all new, with no temporary
 * file and no record left; in a checkout the edit journal agrees with the files.
 */
class ChangeSetCrashTest {

    private static final String OLD = "image:\n  repository: acme/web\n  tag: \"1\"\n";
    private static final String NEW = "image:\n  repository: acme/web\n  tag: \"2\"\n";

    @TempDir
    Path dir;

    private enum Layout { PLAIN_DIRECTORY, GIT_CHECKOUT }

    private enum State { ALL_OLD, ALL_NEW }

    private void create(Layout layout, int files) throws IOException {
        for (int i = 0; i < files; i++) {
            Path file = dir.resolve(String.format("apps/app-%02d/values.yaml", i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, OLD);
        }
        if (layout == Layout.GIT_CHECKOUT) {
            GitCli.run(dir, "init", "--quiet");
            GitCli.run(dir, "add", ".");
            GitCli.run(dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "init");
        }
    }

    private Process child(String step, int index) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ChangeSetCrashChild.class.getName(), dir.toString(), step, Integer.toString(index))
                .redirectErrorStream(true).start();
    }

    /** What the next run leaves: recovery through the editor (plain directory) or through push's first step. */
    private State recoverAndInspect(Layout layout, int files) throws IOException {
        if (layout == Layout.GIT_CHECKOUT) {
            JournalledEdits.pending(EditJournal.forCheckout(dir).orElseThrow());
        } else {
            new ManifestEditor(dir).plan(EditRequest.of(ImageUpdate.tag("acme/web", "2")));
        }
        Set<String> contents = new HashSet<>();
        List<String> leftovers = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                String name = path.getFileName().toString();
                if (name.endsWith(".gitops-tmp") || name.equals("change-set") || name.equals(".gitops-change-set")) {
                    leftovers.add(dir.relativize(path).toString());
                } else if (name.equals("values.yaml")) {
                    contents.add(Files.readString(path));
                }
            }
        }
        assertThat(leftovers).as("temporary files and change-set records left").isEmpty();
        assertThat(contents).as("the file set is all old or all new").hasSize(1);
        State state = contents.contains(NEW) ? State.ALL_NEW : State.ALL_OLD;
        if (layout == Layout.GIT_CHECKOUT) {
            int journalled = EditJournal.forCheckout(dir).orElseThrow().entries().size();
            assertThat(journalled).as("the journal agrees with the files").isEqualTo(state == State.ALL_NEW ? 1 : 0);
        }
        return state;
    }

    static Stream<Arguments> crashPoints() {
        List<Arguments> points = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            // Three values files; in a checkout the journal is the fourth target (index 3).
            int last = layout == Layout.GIT_CHECKOUT ? 3 : 2;
            points.add(Arguments.of(layout, Step.INTENT_WRITTEN, 0, State.ALL_OLD));
            points.add(Arguments.of(layout, Step.STAGED, 0, State.ALL_OLD));
            points.add(Arguments.of(layout, Step.STAGED, last, State.ALL_NEW));
            points.add(Arguments.of(layout, Step.RENAMED, 0, State.ALL_NEW));
            points.add(Arguments.of(layout, Step.RENAMED, 1, State.ALL_NEW));
            points.add(Arguments.of(layout, Step.RENAMED, last, State.ALL_NEW));
        }
        return points.stream();
    }

    @ParameterizedTest(name = "{0}: killed at {1} {2} -> {3}")
    @MethodSource("crashPoints")
    void theNextRunCompletesOrUndoesASetKilledAtEachStep(Layout layout, Step step, int index, State expected) throws Exception {
        create(layout, 3);
        Process process = child(step.name(), index);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("halted at the checkpoint: " + new String(process.getInputStream().readAllBytes())).isEqualTo(137);
        Path record = ChangeSetIntent.locationFor(dir);
        assertThat(record).as("the killed run left its record").exists();

        assertThat(recoverAndInspect(layout, 3)).isEqualTo(expected);
    }

    @Test
    void killedAtRandomMomentsEverySetIsAllOldOrAllNew() throws Exception {
        int files = 20;
        // The time from the record on disk to the end of the write, to spread the kills over it.
        create(Layout.PLAIN_DIRECTORY, files);
        long writeNanos = runToCompletion();
        int[] outcomes = new int[4]; // {untouched, repaired} x {all old, all new}
        int runs = 40;
        for (int run = 0; run < runs; run++) {
            deleteTree();
            Layout layout = run % 2 == 0 ? Layout.PLAIN_DIRECTORY : Layout.GIT_CHECKOUT;
            create(layout, files);
            Process process = child("none", 0);
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("READY");
            assertThat(out.readLine()).isEqualTo("WRITING");
            TimeUnit.NANOSECONDS.sleep(ThreadLocalRandom.current().nextLong(writeNanos + 1));
            process.destroyForcibly();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            boolean interrupted = Files.exists(ChangeSetIntent.locationFor(dir));
            State state = recoverAndInspect(layout, files);
            outcomes[(interrupted ? 1 : 0) + (state == State.ALL_NEW ? 2 : 0)]++;
        }
        System.out.printf("%d kills over a %.1f ms write: all old: %d untouched, %d undone; all new: %d completed,"
                + " %d finished%n", runs, writeNanos / 1e6, outcomes[0], outcomes[1], outcomes[3], outcomes[2]);
    }

    private long runToCompletion() throws Exception {
        Process process = child("none", 0);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("READY");
        assertThat(out.readLine()).isEqualTo("WRITING");
        long start = System.nanoTime();
        assertThat(out.readLine()).isEqualTo("DONE");
        long nanos = System.nanoTime() - start;
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return nanos;
    }

    private void deleteTree() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
    }
}
