package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.manifest.ChangeSetWriter.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangeSetWriterTest extends ConfigRepoTestCase {

    private static final String OLD = "image:\n  repository: acme/web\n  tag: \"1\"\n";

    private void threeValuesFiles() {
        repo.write("a/values.yaml", OLD).write("b/values.yaml", OLD).write("c/values.yaml", OLD);
    }

    @Test
    void writesNothingWhenOneTargetChangedSincePlanning() {
        repo.write("a/values.yaml", "tag: \"1\"\n").write("b/values.yaml", "tag: \"1\"\n");
        List<FileEdit> edits = List.of(new FileEdit("a/values.yaml", false, "tag: \"1\"\n", "tag: \"2\"\n"),
                new FileEdit("b/values.yaml", false, "tag: \"0\"\n", "tag: \"2\"\n"));
        Map<String, String> before = repo.snapshot();

        assertThatThrownBy(() -> new ChangeSetWriter(ChangeSetWriter.Checkpoint.NONE)
                        .write(ChangeSetIntent.locationFor(dir), ChangeSetWriter.targets(new FileScope(dir), edits)))
                .isInstanceOfSatisfying(ManifestEditException.class,
                        e -> assertThat(e.problem()).isEqualTo(ManifestEditException.Problem.IO_ERROR))
                .hasMessage("b/values.yaml: the file changed while the edit was planned; nothing was written, run the edit again");
        assertThat(repo.snapshot()).as("no file changed, no temporary file left").isEqualTo(before);
    }

    /** A failure at every step of the writing, renames midway included: every file is back as it was. */
    static Stream<Arguments> failures() {
        return Stream.of(Arguments.of(Step.INTENT_WRITTEN, 0), Arguments.of(Step.STAGED, 0), Arguments.of(Step.STAGED, 2),
                Arguments.of(Step.RENAMED, 0), Arguments.of(Step.RENAMED, 1));
    }

    @ParameterizedTest(name = "failure at {0} {1}")
    @MethodSource("failures")
    void aFailureMidwayRestoresEveryFileAndLeavesNoTemporaryFile(Step step, int file) {
        threeValuesFiles();
        Map<String, String> before = repo.snapshot();
        int[] renamed = new int[1];
        ChangeSetWriter.Checkpoint failing = (reached, index) -> {
            if (reached == Step.RENAMED) {
                renamed[0]++;
            }
            if (reached == step && index == file) {
                throw new IOException("injected failure");
            }
        };

        assertThatThrownBy(() -> new ManifestEditor(dir, ManifestEditor.Limits.DEFAULT, failing).apply(EditRequest.of(ImageUpdate.tag("acme/web", "2"))))
                .isInstanceOfSatisfying(ManifestEditException.class, e -> assertThat(e.problem()).isEqualTo(ManifestEditException.Problem.IO_ERROR))
                .hasMessageContaining("writing failed (java.io.IOException: injected failure); no file was changed");
        assertThat(renamed[0]).as("the failure came after this many renames").isEqualTo(step == Step.RENAMED ? file + 1 : 0);
        assertThat(repo.snapshot()).as("every file as it was, no temporary file, no change-set record").isEqualTo(before);
    }

    @Test
    void createsNewFilesAndReplacesExistingOnesKeepingPermissions() throws Exception {
        repo.write("a/run.yaml", "x: 1\n");
        Files.setPosixFilePermissions(dir.resolve("a/run.yaml"), PosixFilePermissions.fromString("rwxr-x---"));

        new ChangeSetWriter(ChangeSetWriter.Checkpoint.NONE).write(ChangeSetIntent.locationFor(dir), ChangeSetWriter.targets(new FileScope(dir),
                List.of(new FileEdit("a/run.yaml", false, "x: 1\n", "x: 2\n"), new FileEdit("b/.argocd-source-app.yaml", true, "", "kustomize: {}\n"))));

        assertThat(repo.read("a/run.yaml")).isEqualTo("x: 2\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/run.yaml")))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("b/.argocd-source-app.yaml")))).isEqualTo("rw-r--r--");
        assertThat(repo.read("b/.argocd-source-app.yaml")).isEqualTo("kustomize: {}\n");
        assertThat(repo.snapshot()).containsOnlyKeys("a/run.yaml", "b/.argocd-source-app.yaml");
    }

    /** Table: the attributes a rewrite keeps (owner and group only where this process may set them: as root). */
    static Stream<Arguments> attributes() {
        return Stream.of(Arguments.of("rw-------", 0), Arguments.of("rwxr-x---", 0), Arguments.of("rw-rw-r--", 4321),
                Arguments.of("r--r--r--", 0));
    }

    @ParameterizedTest(name = "mode {0}, owner {1}")
    @MethodSource("attributes")
    void aRewrittenFileKeepsItsOwnerGroupAndMode(String mode, int owner) throws Exception {
        threeValuesFiles();
        java.nio.file.Path file = dir.resolve("b/values.yaml");
        boolean root = (int) Files.getAttribute(dir, "unix:uid") == 0;
        if (owner != 0) {
            org.junit.jupiter.api.Assumptions.assumeTrue(root, "giving a file to another owner needs root");
            Files.setAttribute(file, "unix:uid", owner);
            Files.setAttribute(file, "unix:gid", owner + 1);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        Object uid = Files.getAttribute(file, "unix:uid");
        Object gid = Files.getAttribute(file, "unix:gid");
        Object inode = Files.getAttribute(file, "unix:ino");

        repo.apply(ImageUpdate.tag("acme/web", "2"));

        assertThat(repo.read("b/values.yaml")).endsWith("tag: \"2\"\n");
        assertThat(Files.getAttribute(file, "unix:ino")).as("a new file was renamed into place").isNotEqualTo(inode);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo(mode);
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(uid);
        assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(gid);
    }

    @Test
    void aHardLinkToAnEditedFileKeepsTheOldContent() throws Exception {
        threeValuesFiles();
        Files.createLink(dir.resolve("outside-scope.txt"), dir.resolve("a/values.yaml"));

        repo.apply(EditRequest.of(ImageUpdate.tag("acme/web", "2")).withPaths(List.of("a")));

        assertThat(repo.read("a/values.yaml")).endsWith("tag: \"2\"\n");
        assertThat(repo.read("outside-scope.txt")).as("the link now names a separate file with the old text").isEqualTo(OLD);
    }

    @Test
    void editsALinkedFileWhereItLivesAndKeepsTheLink() throws Exception {
        repo.write("base/values.yaml", "image:\n  repository: acme/web\n  tag: \"1\"\n");
        Files.createDirectories(dir.resolve("prod"));
        Files.createSymbolicLink(dir.resolve("prod/values.yaml"), dir.resolve("base/values.yaml"));

        EditReport report = repo.apply(ImageUpdate.tag("acme/web", "2"));

        assertThat(report.changedFiles()).containsExactly("base/values.yaml");
        assertThat(Files.isSymbolicLink(dir.resolve("prod/values.yaml"))).isTrue();
        assertThat(repo.read("prod/values.yaml")).endsWith("tag: \"2\"\n");
    }
}
