package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.manifest.EditReport.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditOutcomeTest extends ConfigRepoTestCase {

    private static final String VALUES = "image:\n  repository: acme/web\n  tag: \"1.0\"\n";

    @Test
    void tellsAlreadyUpToDateFromImageNotFound() {
        repo.write("values.yaml", VALUES);

        EditReport unchanged = repo.apply(ImageUpdate.tag("acme/web", "1.0"));
        EditReport notFound = repo.apply(ImageUpdate.tag("acme/api", "1.0"));

        assertThat(unchanged.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(unchanged.images()).containsExactly(new EditReport.ImageResult("acme/web", Outcome.UNCHANGED, 1));
        assertThat(notFound.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(notFound.images()).containsExactly(new EditReport.ImageResult("acme/api", Outcome.NOT_FOUND, 0));
        assertThat(unchanged.changes()).isEmpty();
        assertThat(unchanged.unifiedDiff()).isEmpty();
    }

    @Test
    void planWritesNothingAndApplyWritesWhatPlanShowed() {
        repo.write("values.yaml", VALUES);
        EditRequest request = EditRequest.of(ImageUpdate.tag("acme/web", "1.1"));

        EditReport plan = repo.editor().plan(request);

        assertThat(repo.read("values.yaml")).isEqualTo(VALUES);
        assertThat(plan.outcome()).isEqualTo(Outcome.CHANGED);
        EditReport applied = repo.apply(request);
        assertThat(applied).isEqualTo(plan);
        assertThat(repo.read("values.yaml")).isEqualTo(plan.files().get(0).after());
    }

    @Test
    void neverRewritesAFileWithNothingToChange() throws IOException {
        repo.write("values.yaml", VALUES).write("other.yaml", "image:\n  repository: acme/web-other\n  tag: \"1\"\n");
        Files.setLastModifiedTime(dir.resolve("other.yaml"), FileTime.fromMillis(0));
        Files.setLastModifiedTime(dir.resolve("values.yaml"), FileTime.fromMillis(0));

        repo.apply(ImageUpdate.tag("acme/web", "1.0"));
        repo.apply(ImageUpdate.tag("acme/web", "1.1"));

        assertThat(Files.getLastModifiedTime(dir.resolve("other.yaml")).toMillis()).isZero();
        assertThat(Files.getLastModifiedTime(dir.resolve("values.yaml")).toMillis()).isNotZero();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("values.yaml", "other.yaml");
        }
    }

    @Test
    void aSecondApplyOfTheSameRequestChangesNothing() {
        repo.write("kustomization.yaml", "images:\n- name: api\n  newTag: v1\n");
        EditRequest request = EditRequest.of(ImageUpdate.tag("api", "v2")).withKind(TargetKind.KUSTOMIZATION);

        assertThat(repo.apply(request).outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(repo.apply(request).outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void reapplyingARenameFindsTheRenamedReferencesUpToDate() {
        repo.write("values.yaml", VALUES).write("deploy.yaml",
                "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: w\n    image: acme/web:1.0\n");
        EditRequest rename = EditRequest.of(new ImageUpdate("acme/web", "ghcr.io/acme/website", "1.1", null));

        assertThat(repo.apply(rename).outcome()).isEqualTo(Outcome.CHANGED);
        EditReport again = repo.apply(rename);

        assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(again.images()).containsExactly(new EditReport.ImageResult("acme/web", Outcome.UNCHANGED, 2));
        assertThat(repo.read("deploy.yaml")).contains("image: ghcr.io/acme/website:1.1\n");
        assertThat(repo.read("values.yaml")).isEqualTo("image:\n  repository: ghcr.io/acme/website\n  tag: \"1.1\"\n");
    }

    @Test
    void theUnifiedDiffAppliesWithGitToTheOriginalFiles(@TempDir Path copy) throws Exception {
        repo.write("a/values.yaml", VALUES).write("b/kustomization.yaml", "images:\n- name: acme/web\n  newTag: \"1.0\"")
                .write("c/deploy.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: w\n    image: acme/web:1.0\n");
        for (String file : List.of("a/values.yaml", "b/kustomization.yaml", "c/deploy.yaml")) {
            Files.createDirectories(copy.resolve(file).getParent());
            Files.copy(dir.resolve(file), copy.resolve(file));
        }

        EditReport report = repo.apply(ImageUpdate.tag("acme/web", "1.10"));
        Path patch = Files.writeString(copy.resolve("change.patch"), report.unifiedDiff());
        Process git = new ProcessBuilder("git", "apply", "--unsafe-paths", "--whitespace=nowarn", patch.toString())
                .directory(copy.toFile()).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(output + "\n" + report.unifiedDiff()).isZero();
        for (String file : List.of("a/values.yaml", "b/kustomization.yaml", "c/deploy.yaml")) {
            assertThat(Files.readString(copy.resolve(file))).as(file).isEqualTo(repo.read(file));
        }
        assertThat(report.unifiedDiff()).startsWith("--- a/a/values.yaml\n+++ b/a/values.yaml\n@@ -1,3 +1,3 @@\n");
    }

    @Test
    void theJsonReportCarriesOutcomeAndChangesButNotFileTexts() {
        repo.write("values.yaml", VALUES);

        String json = repo.apply(ImageUpdate.tag("acme/web", "1.1")).toJson();

        assertThat(json).isEqualTo("{\"outcome\":\"CHANGED\",\"images\":[{\"image\":\"acme/web\",\"outcome\":\"CHANGED\","
                + "\"references\":1}],\"changes\":[{\"file\":\"values.yaml\",\"line\":3,\"kind\":\"HELM_VALUES\","
                + "\"field\":\"image.tag\",\"oldValue\":\"1.0\",\"newValue\":\"1.1\"}]}");
    }

    @Test
    void theRequestRoundTripsThroughJson() {
        EditRequest request = new EditRequest(List.of(new ImageUpdate("nginx", "ghcr.io/acme/nginx", "1.27", null)),
                List.of("apps/web", "values.yaml"), TargetKind.HELM_VALUES, List.of(), List.of("web.image"), null);

        String json = request.toJson();

        assertThat(json).isEqualTo("{\"updates\":[{\"image\":\"nginx\",\"newName\":\"ghcr.io/acme/nginx\",\"newTag\":\"1.27\"}],"
                + "\"paths\":[\"apps/web\",\"values.yaml\"],\"kind\":\"HELM_VALUES\",\"helmKeyPaths\":[\"web.image\"]}");
        assertThat(EditRequest.fromJson(json)).isEqualTo(request);
        assertThat(EditRequest.fromJson("{\"updates\":[{\"image\":\"nginx\",\"newTag\":\"1\"}]}"))
                .isEqualTo(EditRequest.of(ImageUpdate.tag("nginx", "1")));
    }

    @Test
    void requestAndReportSurviveJavaSerialisationForRemoteAgents() throws Exception {
        repo.write("values.yaml", VALUES);
        EditRequest request = EditRequest.of(ImageUpdate.tag("acme/web", "1.1")).withPaths(List.of("values.yaml"));
        EditReport report = repo.editor().plan(request);

        assertThat(roundTrip(request)).isEqualTo(request);
        assertThat(roundTrip(report)).isEqualTo(report);
    }

    private static Object roundTrip(Object value) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    @Test
    void aMalformedJsonRequestSaysWhatIsWrong() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EditRequest.fromJson("{\"updates\":[{\"image\":\"Nginx\",\"newTag\":\"1\"}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid edit request")
                .hasMessageContaining("repository 'Nginx' must be lowercase");
    }
}
