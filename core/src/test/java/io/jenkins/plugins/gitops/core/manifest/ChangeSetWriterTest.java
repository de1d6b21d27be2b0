package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeSetWriterTest extends ConfigRepoTestCase {

    @Test
    void writesNothingWhenOneTargetChangedSincePlanning() {
        repo.write("a/values.yaml", "tag: \"1\"\n").write("b/values.yaml", "tag: \"1\"\n");
        List<FileEdit> edits = List.of(new FileEdit("a/values.yaml", false, "tag: \"1\"\n", "tag: \"2\"\n"),
                new FileEdit("b/values.yaml", false, "tag: \"0\"\n", "tag: \"2\"\n"));
        Map<String, String> before = repo.snapshot();

        assertThatThrownBy(() -> ChangeSetWriter.write(new FileScope(dir), edits))
                .isInstanceOfSatisfying(ManifestEditException.class,
                        e -> assertThat(e.problem()).isEqualTo(ManifestEditException.Problem.IO_ERROR))
                .hasMessage("b/values.yaml: the file changed while the edit was planned; nothing was written, run the edit again");
        assertThat(repo.snapshot()).as("no file changed, no temporary file left").isEqualTo(before);
    }

    @Test
    void createsNewFilesAndReplacesExistingOnesKeepingPermissions() throws Exception {
        repo.write("a/run.yaml", "x: 1\n");
        Files.setPosixFilePermissions(dir.resolve("a/run.yaml"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));

        ChangeSetWriter.write(new FileScope(dir), List.of(new FileEdit("a/run.yaml", false, "x: 1\n", "x: 2\n"),
                new FileEdit("b/.argocd-source-app.yaml", true, "", "kustomize: {}\n")));

        assertThat(repo.read("a/run.yaml")).isEqualTo("x: 2\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/run.yaml"))))
                .isEqualTo("rwxr-x---");
        assertThat(repo.read("b/.argocd-source-app.yaml")).isEqualTo("kustomize: {}\n");
        assertThat(repo.snapshot()).containsOnlyKeys("a/run.yaml", "b/.argocd-source-app.yaml");
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
