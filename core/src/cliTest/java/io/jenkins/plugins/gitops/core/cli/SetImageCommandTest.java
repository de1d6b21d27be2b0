package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetImageCommandTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: guestbook
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/example-org/guestbook:1.4.2 # bumped by CI
            """;

    private static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - deployment.yaml
            images:
              - name: ghcr.io/example-org/guestbook
                newTag: 1.4.2
            """;

    @TempDir
    Path repo;

    @BeforeEach
    void writeRepo() throws IOException {
        write("apps/guestbook/deployment.yaml", DEPLOYMENT);
        write("apps/guestbook/kustomization.yaml", KUSTOMIZATION);
    }

    @Test
    void updatesEveryReferenceAndExitsZero() throws IOException {
        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(read("apps/guestbook/deployment.yaml"))
                .isEqualTo(DEPLOYMENT.replace("guestbook:1.4.2 # bumped", "guestbook:1.5.0 # bumped"));
        assertThat(read("apps/guestbook/kustomization.yaml")).isEqualTo(KUSTOMIZATION.replace("1.4.2", "1.5.0"));
        assertThat(result.out().lines()).containsExactlyInAnyOrder(
                "apps/guestbook/deployment.yaml:10  workload  ghcr.io/example-org/guestbook:1.4.2 -> ghcr.io/example-org/guestbook:1.5.0",
                "apps/guestbook/kustomization.yaml:7  kustomization  1.4.2 -> 1.5.0");
        assertThat(result.err()).contains("changed 2 value(s) in 2 file(s)");
    }

    @Test
    void exitsNothingToChangeWhenEveryReferenceIsAlreadyAtTheTag() throws IOException {
        Map<String, String> before = snapshot();

        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.4.2");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.NOTHING_TO_CHANGE.code());
        assertThat(result.err()).contains("nothing to change");
        assertThat(result.out()).isEmpty();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void exitsImageNotFoundWhenNoFileReferencesTheImage() throws IOException {
        Map<String, String> before = snapshot();

        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/other", "--tag", "2.0.0");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.IMAGE_NOT_FOUND.code());
        assertThat(result.err()).contains("image not found").contains("ghcr.io/example-org/other");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void matchesTheImageByNormalisedName() throws IOException {
        write("apps/web/deployment.yaml", DEPLOYMENT.replace("ghcr.io/example-org/guestbook:1.4.2", "nginx:1.25"));

        Result result = run("set-image", repo.toString(), "--image", "docker.io/library/nginx", "--tag", "1.27");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(read("apps/web/deployment.yaml")).contains("image: nginx:1.27 # bumped by CI");
    }

    @Test
    void dryRunPrintsTheUnifiedDiffAndWritesNothing() throws IOException {
        Map<String, String> before = snapshot();

        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0", "--dry-run");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(snapshot()).isEqualTo(before);
        assertThat(result.out())
                .contains("--- a/apps/guestbook/deployment.yaml", "+++ b/apps/guestbook/deployment.yaml")
                .contains("-          image: ghcr.io/example-org/guestbook:1.4.2 # bumped by CI")
                .contains("+          image: ghcr.io/example-org/guestbook:1.5.0 # bumped by CI")
                .contains("-    newTag: 1.4.2", "+    newTag: 1.5.0");
        assertThat(result.err()).contains("would change 2 value(s)", "nothing written")
                .contains("apps/guestbook/deployment.yaml:10  workload");
    }

    @Test
    void dryRunDiffAppliesWithGitToTheSameResultAsARealRun() throws Exception {
        Result dryRun = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0", "--dry-run");
        Path patch = Files.createTempFile("set-image", ".diff");
        try {
            Files.writeString(patch, dryRun.out(), StandardCharsets.UTF_8);
            Process git = new ProcessBuilder("git", "apply", patch.toString())
                    .directory(repo.toFile()).redirectErrorStream(true).start();
            String gitOutput = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(git.waitFor()).as(gitOutput).isZero();
        } finally {
            Files.delete(patch);
        }
        Map<String, String> patched = snapshot();
        writeRepo();

        run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0");

        assertThat(patched).isEqualTo(snapshot()).isNotEqualTo(Map.of(
                "apps/guestbook/deployment.yaml", DEPLOYMENT, "apps/guestbook/kustomization.yaml", KUSTOMIZATION));
    }

    @Test
    void jsonPrintsOutcomeAndChangesOnStdout() throws IOException {
        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0", "--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("outcome").asText()).isEqualTo("CHANGED");
        assertThat(json.get("exitCode").asInt()).isZero();
        assertThat(json.get("dryRun").asBoolean()).isFalse();
        assertThat(json.get("images").get(0).get("image").asText()).isEqualTo("ghcr.io/example-org/guestbook");
        assertThat(json.get("images").get(0).get("references").asInt()).isEqualTo(2);
        List<String> changes = new ArrayList<>();
        json.get("changes").forEach(c -> changes.add(c.get("file").asText() + ":" + c.get("line").asInt() + " "
                + c.get("kind").asText() + " " + c.get("oldValue").asText() + " " + c.get("newValue").asText()));
        assertThat(changes).containsExactlyInAnyOrder(
                "apps/guestbook/deployment.yaml:10 WORKLOAD ghcr.io/example-org/guestbook:1.4.2 ghcr.io/example-org/guestbook:1.5.0",
                "apps/guestbook/kustomization.yaml:7 KUSTOMIZATION 1.4.2 1.5.0");
        assertThat(json.has("diff")).isFalse();
    }

    @Test
    void jsonDryRunCarriesTheDiffAndNothingToChangeCarriesItsExitCode() throws IOException {
        Result dryRun = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0", "--json", "--dry-run");
        JsonNode json = new ObjectMapper().readTree(dryRun.out());
        assertThat(json.get("dryRun").asBoolean()).isTrue();
        assertThat(json.get("diff").asText()).contains("+    newTag: 1.5.0");

        Result unchanged = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.4.2", "--json");
        JsonNode same = new ObjectMapper().readTree(unchanged.out());
        assertThat(same.get("outcome").asText()).isEqualTo("NOTHING_TO_CHANGE");
        assertThat(same.get("images").get(0).get("outcome").asText()).isEqualTo("NOTHING_TO_CHANGE");
        assertThat(same.get("exitCode").asInt()).isEqualTo(ExitCode.NOTHING_TO_CHANGE.code());
        assertThat(unchanged.exit()).isEqualTo(ExitCode.NOTHING_TO_CHANGE.code());
    }

    @Test
    void pathLimitsTheEditToTheGivenFiles() throws IOException {
        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0",
                "--path", "apps/guestbook/kustomization.yaml");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(read("apps/guestbook/kustomization.yaml")).contains("newTag: 1.5.0");
        assertThat(read("apps/guestbook/deployment.yaml")).isEqualTo(DEPLOYMENT);
    }

    @Test
    void absolutePathInsideTheDirectoryIsAccepted() throws IOException {
        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0",
                "--path", repo.resolve("apps/guestbook/deployment.yaml").toString());

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(read("apps/guestbook/deployment.yaml")).contains("guestbook:1.5.0");
        assertThat(read("apps/guestbook/kustomization.yaml")).isEqualTo(KUSTOMIZATION);
    }

    @Test
    void kindKustomizationAddsAnImagesEntryLikeKustomizeEditSetImage() throws IOException {
        write("apps/web/kustomization.yaml", "resources:\n  - deployment.yaml\n");

        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0",
                "--path", "apps/web", "--kind", "kustomization");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(read("apps/web/kustomization.yaml"))
                .startsWith("resources:\n  - deployment.yaml\n")
                .contains("name: ghcr.io/example-org/guestbook", "newTag: 1.5.0");
        assertThat(result.out()).contains("apps/web/kustomization.yaml:", "  kustomization  (added) -> ");
    }

    @Test
    void digestAndNewNameRewriteTheWholeReference() throws IOException {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);

        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0",
                "--digest", digest, "--new-name", "registry.example.org/guestbook", "--path", "apps/guestbook/deployment.yaml");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(read("apps/guestbook/deployment.yaml"))
                .contains("image: registry.example.org/guestbook:1.5.0@" + digest + " # bumped by CI");
    }

    @Test
    void keyEditsAnExplicitKeyPathInAnyYamlFile() throws IOException {
        String custom = """
                apiVersion: example.org/v1
                kind: Worker
                spec:
                  runner:
                    image: ghcr.io/example-org/guestbook:1.4.2
                """;
        write("apps/worker.yaml", custom);

        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0",
                "--path", "apps/worker.yaml", "--key", "spec.runner.image");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(read("apps/worker.yaml")).isEqualTo(custom.replace("1.4.2", "1.5.0"));
        assertThat(result.out()).contains("apps/worker.yaml:5  key-path  ");
    }

    @Test
    void argocdSourceCreatesTheImageUpdaterFile() throws IOException {
        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0",
                "--path", "apps/guestbook", "--argocd-source", "guestbook");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(read("apps/guestbook/.argocd-source-guestbook.yaml")).contains("ghcr.io/example-org/guestbook:1.5.0");
        assertThat(read("apps/guestbook/deployment.yaml")).isEqualTo(DEPLOYMENT);
    }

    @Test
    void badTagIsBadInputNamingTheOption() throws IOException {
        assertBadInput(List.of("--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0 beta"), "--tag", "1.5.0 beta");
    }

    @Test
    void uppercaseImageIsBadInputNamingTheOption() throws IOException {
        assertBadInput(List.of("--image", "ghcr.io/Example-Org/guestbook", "--tag", "1.5.0"), "--image", "Example-Org");
    }

    @Test
    void shortDigestIsBadInputNamingTheOption() throws IOException {
        assertBadInput(List.of("--image", "ghcr.io/example-org/guestbook", "--digest", "sha256:abc"), "--digest", "sha256:abc");
    }

    @Test
    void newNameWithATagIsBadInputNamingTheOption() throws IOException {
        assertBadInput(List.of("--image", "ghcr.io/example-org/guestbook", "--new-name", "quay.io/org/guestbook:2"), "--new-name");
    }

    @Test
    void missingNewValueIsBadInputNamingTheOptions() throws IOException {
        assertBadInput(List.of("--image", "ghcr.io/example-org/guestbook"), "--tag", "--digest", "--new-name");
    }

    @Test
    void unknownKindIsBadInputListingTheKinds() throws IOException {
        assertBadInput(List.of("--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0", "--kind", "chart"),
                "--kind", "'chart'", "helm-values");
    }

    @Test
    void pathOutsideTheRepositoryIsBadInputNamingThePath() throws IOException {
        assertBadInput(List.of("--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0", "--path", "../elsewhere"),
                "../elsewhere");
    }

    @Test
    void missingImageOptionIsBadInputNamingIt() throws IOException {
        assertBadInput(List.of("--tag", "1.5.0"), "--image");
    }

    @Test
    void missingPathIsBadInputNamingThePath() throws IOException {
        assertBadInput(List.of("--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0", "--path", "apps/nowhere"),
                "apps/nowhere", "no such file or directory");
    }

    @Test
    void missingDirectoryIsBadInputNamingIt() {
        Path missing = repo.resolve("no-such-checkout");
        Result result = run("set-image", missing.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).contains("DIR", missing.toString());
    }

    @Test
    void malformedYamlIsBadInputNamingFileAndLineAndNothingIsWritten() throws IOException {
        write("apps/broken/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec: [unclosed\n  image: ghcr.io/example-org/guestbook:1\n");

        assertBadInput(List.of("--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0"), "apps/broken/deployment.yaml:4: ");
    }

    @Test
    void jsonReportsBadInputAsAnErrorObject() throws IOException {
        Result result = run("set-image", repo.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "bad tag", "--json");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("outcome").asText()).isEqualTo("ERROR");
        assertThat(json.get("exitCode").asInt()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(json.get("error").get("message").asText()).startsWith("--tag: ");
    }

    private void assertBadInput(List<String> options, String... messageParts) throws IOException {
        Map<String, String> before = snapshot();
        List<String> args = new ArrayList<>(List.of("set-image", repo.toString()));
        args.addAll(options);

        Result result = run(args.toArray(String[]::new));

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).contains(messageParts);
        assertThat(result.out()).isEmpty();
        assertThat(snapshot()).isEqualTo(before);
    }



    private void write(String relative, String text) throws IOException {
        Path file = repo.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private String read(String relative) throws IOException {
        return Files.readString(repo.resolve(relative), StandardCharsets.UTF_8);
    }

    /** Every file under the repository with its content, to prove that nothing was written. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(repo)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(repo.relativize(file).toString().replace('\\', '/'), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
