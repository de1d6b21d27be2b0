package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.registry.LocalRegistry;
import io.jenkins.plugins.gitops.core.testing.registry.OciImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitops resolve} and {@code set-image --strategy} against the real distribution registry with Basic auth. */
class StrategyCommandTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "cli-registry-secret-77";
    private static final OciImage OLD = OciImage.single(Instant.parse("2024-01-01T00:00:00Z"), "linux/amd64");
    private static final OciImage NEW = OciImage.single(Instant.parse("2024-02-01T00:00:00Z"), "linux/amd64");

    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.builder(dir.resolve("registry")).basicAuth(USER, PASSWORD).start();
        registry.push(OLD, "team/app", "1.4.0");
        registry.push(NEW, "team/app", "1.5.0");
        registry.tag("team/app", "1.5.0", List.of("latest", "2.0.0-rc.1"));
        passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static Result gitops(String... args) {
        return gitops(Map.of(), args);
    }

    private static Result gitops(Map<String, String> environment, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--insecure-registry", registry.address(), "--registry-username", USER,
                "--registry-password-file", passwordFile.toString()));
        return run(environment, all.toArray(String[]::new));
    }

    @Test
    void resolvePrintsTheChosenReferenceAloneOnStdout() {
        Result result = gitops("resolve", registry.image("team/app"), "--strategy", "semver", "--constraint", "^1");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(registry.image("team/app") + ":1.5.0" + System.lineSeparator());
        assertThat(result.err()).contains("1.5.0: the highest version satisfying ^1");
    }

    @Test
    void resolveWithPinDigestAddsTheDigest() {
        Result result = gitops("resolve", registry.image("team/app"), "--pin-digest");

        assertThat(result.out().strip()).isEqualTo(registry.image("team/app") + ":1.5.0@" + NEW.digest());
    }

    @Test
    void resolveJsonListsTheCandidates() throws Exception {
        Result result = gitops("resolve", registry.image("team/app") + ":latest", "--strategy", "digest", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("outcome").asText()).isEqualTo("CHOSEN");
        assertThat(json.get("reference").asText()).isEqualTo(registry.image("team/app") + ":latest@" + NEW.digest());
        assertThat(json.get("candidates").get(0).get("verdict").asText()).isEqualTo("chosen");
    }

    @Test
    void noCandidateExitsElevenWithNothingOnStdout() {
        Result result = gitops("resolve", registry.image("team/app"), "--constraint", "^3");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.NO_CANDIDATE.code());
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("no tag of " + registry.address() + "/team/app is eligible for semver ^3");
    }

    @Test
    void aMalformedConstraintIsAUsageErrorNamingTheOption() {
        Result result = gitops("resolve", registry.image("team/app"), "--constraint", "^x.y");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).startsWith("gitops resolve: --constraint: constraint '^x.y'");
    }

    @Test
    void wrongCredentialsExitSixWithoutShowingThePassword() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-password-123");

        Result result = run("resolve", registry.image("team/app"), "--insecure-registry", registry.address(),
                "--registry-username", USER, "--registry-password-file", wrong.toString());

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.AUTH_FAILED.code());
        assertThat(result.err()).contains("refused the credentials").doesNotContain("not-the-password-123");
    }

    @Test
    void credentialsComeFromDockerConfigAuths() throws Exception {
        Path config = Files.createDirectories(dir.resolve("docker"));
        String auth = java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
        Files.writeString(config.resolve("config.json"), "{\"auths\":{\"" + registry.address() + "\":{\"auth\":\"" + auth + "\"}}}");

        Result result = run(Map.of("DOCKER_CONFIG", config.toString()), "resolve", registry.image("team/app"),
                "--insecure-registry", registry.address());

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out().strip()).isEqualTo(registry.image("team/app") + ":1.5.0");
    }

    @Test
    void aCredentialStoreInDockerConfigIsNamedInAClearError() throws Exception {
        Path config = Files.createDirectories(dir.resolve("docker-store"));
        Files.writeString(config.resolve("config.json"), "{\"auths\":{},\"credsStore\":\"desktop\"}");

        Result result = run(Map.of("DOCKER_CONFIG", config.toString()), "resolve", registry.image("team/app"),
                "--insecure-registry", registry.address());

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).contains("credsStore 'desktop'", "does not run credential stores", "--registry-username");
    }

    @Test
    void setImageWritesTheVersionTheStrategyChooses() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("kustomization.yaml"), """
                images:
                  - name: %s
                    newTag: 1.4.0
                """.formatted(registry.image("team/app")));

        Result result = gitops("set-image", repo.toString(), "--image", registry.image("team/app"), "--strategy", "semver",
                "--constraint", "~1.5");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(Files.readString(repo.resolve("kustomization.yaml"))).contains("newTag: 1.5.0");
        Result again = gitops("set-image", repo.toString(), "--image", registry.image("team/app"), "--strategy", "semver");
        assertThat(again.exit()).isEqualTo(ExitCode.NOTHING_TO_CHANGE.code());
    }

    @Test
    void setImageRefusesATagBesideAStrategyThatChoosesIt() {
        Result result = gitops("set-image", dir.toString(), "--image", registry.image("team/app"), "--strategy", "semver",
                "--tag", "1.4.0");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).contains("--tag: not with --strategy semver");
    }
}
