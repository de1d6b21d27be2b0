package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitops rollback} against the fake Argo CD and a real git server over HTTP. */
class RollbackCommandTest {

    private static final String USER = "deployer";
    private static final String PASSWORD = "tok3n-Never-Printed-512";
    private static final String IMAGE = "ghcr.io/example-org/guestbook";
    private static final String FILE = "apps/guestbook/kustomization.yaml";
    private static final String SYNC = "/api/v1/applications/guestbook/sync";

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer git;
    private FakeArgoCd argo;
    private Path passwordFile;
    private Path tokenFile;

    private static String kustomization(String tag) {
        return """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                images:
                  - name: ghcr.io/example-org/guestbook
                    newTag: %s
                """.formatted(tag);
    }

    @BeforeEach
    void start() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = BareRepository.create(served, "config.git", "main", Map.of(FILE, kustomization("1.4.2")));
        git = GitHttpServer.start(served, USER, PASSWORD);
        argo = FakeArgoCd.builder().gitRepository(bare.path()).start();
        argo.createApp(FakeArgoCd.CONTROLLER_NAMESPACE, "guestbook", git.url(bare.name()), "main").path("apps/guestbook");
        passwordFile = Files.writeString(temp.resolve("password"), PASSWORD + "\n");
        tokenFile = Files.writeString(temp.resolve("token"), argo.issueToken(FakeArgoCd.USERNAME));
    }

    @AfterEach
    void stop() {
        argo.close();
        git.close();
    }

    private Result rollback(String... more) {
        List<String> args = new ArrayList<>(List.of("rollback", "--app", "guestbook", "--server", argo.url(),
                "--token-file", tokenFile.toString(), "--image", IMAGE,
                "--username", USER, "--password-file", passwordFile.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void rollsBackByApplicationNameThenSyncsToTheRollbackCommit() throws IOException {
        String bad = bare.commitDirectly("main", Map.of(FILE, kustomization("1.5.0")), "Deploy 1.5.0");

        Result result = rollback("--json", "--sync-timeout", "60s");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(json.path("from").asText()).isEqualTo("1.5.0");
        assertThat(json.path("to").asText()).isEqualTo("1.4.2");
        assertThat(json.path("undone").asText()).isEqualTo(bad);
        assertThat(json.path("commit").asText()).isEqualTo(bare.commitOf("main"));
        assertThat(json.path("sync").path("outcome").asText()).isEqualTo("SYNCED");
        assertThat(json.path("sync").path("revision").asText()).isEqualTo(bare.commitOf("main"));
        assertThat(bare.show("main", FILE)).isEqualTo(kustomization("1.4.2"));
        assertThat(bare.subjects("main")).containsExactly("Roll back " + IMAGE + " from 1.5.0 to 1.4.2", "Deploy 1.5.0",
                "Initial config");
        assertThat(argo.requests("POST", SYNC)).hasSize(1);
        assertThat(result.err() + result.out()).doesNotContain(PASSWORD);
    }

    @Test
    void aSyncArgoCdRefusesAfterThePushStillReportsTheRollbackCommit() throws IOException {
        bare.commitDirectly("main", Map.of(FILE, kustomization("1.5.0")), "Deploy 1.5.0");
        argo.app("guestbook").syncDenied(true);

        Result result = rollback("--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.AUTH_FAILED.code());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("outcome").asText()).isEqualTo("ERROR");
        assertThat(json.path("commit").asText()).as("pushed, not synced").isEqualTo(bare.commitOf("main"));
        assertThat(json.path("to").asText()).isEqualTo("1.4.2");
        assertThat(json.path("error").path("problem").asText()).isEqualTo("auth-failed");
    }

    @Test
    void rollsBackToAnExplicitVersionWithoutSyncingWhenToldNotTo() {
        bare.commitDirectly("main", Map.of(FILE, kustomization("1.5.0")), "Deploy 1.5.0");

        Result result = rollback("--to", "1.3.0", "--no-sync");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(result.out()).isEqualTo(bare.commitOf("main") + "\n");
        assertThat(result.err()).contains("gitops rollback: rolled back " + IMAGE + " from 1.5.0 to 1.3.0; changed " + FILE);
        assertThat(bare.show("main", FILE)).contains("newTag: 1.3.0");
        assertThat(argo.requests("POST", SYNC)).isEmpty();
    }

    @Test
    void nothingToRollBackToIsAnExitCodeOfItsOwnAndPushesAndSyncsNothing() throws IOException {
        String tip = bare.commitOf("main");

        Result result = rollback("--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.NOTHING_TO_ROLL_BACK_TO.code()).isEqualTo(12);
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("outcome").asText()).isEqualTo("NOTHING_TO_ROLL_BACK_TO");
        assertThat(json.path("current").asText()).isEqualTo("1.4.2");
        assertThat(result.err()).contains("there is no earlier version to roll back to");
        assertThat(bare.commitOf("main")).isEqualTo(tip);
        assertThat(argo.requests("POST", SYNC)).isEmpty();
    }

    @Test
    void anImageTheApplicationDoesNotSetIsNotFound() {
        Result result = run("rollback", "--app", "guestbook", "--server", argo.url(), "--token-file", tokenFile.toString(),
                "--image", "ghcr.io/example-org/other", "--username", USER, "--password-file", passwordFile.toString());

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.IMAGE_NOT_FOUND.code());
        assertThat(argo.requests("POST", SYNC)).isEmpty();
    }

    @Test
    void readsTheApplicationThroughTheKubernetesApi() throws IOException {
        bare.commitDirectly("main", Map.of(FILE, kustomization("1.5.0")), "Deploy 1.5.0");
        try (ApplicationCrServer cluster = ApplicationCrServer.start()) {
            ObjectNode resource = ApplicationCrServer.exampleApplication("guestbook");
            ObjectNode spec = resource.withObjectProperty("spec");
            spec.remove("sources");
            spec.putObject("source").put("repoURL", git.url(bare.name())).put("targetRevision", "main")
                    .put("path", "apps/guestbook");
            cluster.create(resource);
            Path kubeconfig = Files.writeString(temp.resolve("kubeconfig"), cluster.kubeconfig("kube-t0ken"));

            Result result = run("rollback", "--app", "guestbook", "--kubeconfig", kubeconfig.toString(), "--image", IMAGE,
                    "--no-sync", "--username", USER, "--password-file", passwordFile.toString());

            assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(bare.show("main", FILE)).isEqualTo(kustomization("1.4.2"));
            assertThat(result.err()).doesNotContain("kube-t0ken");
        }
    }

    @Test
    void rollsBackARepositoryAndPathNamedByHand() {
        bare.commitDirectly("main", Map.of(FILE, kustomization("1.5.0")), "Deploy 1.5.0");

        Result result = run("rollback", "--repo", git.url(bare.name()), "--path", "apps/guestbook", "--image", IMAGE,
                "--no-sync", "--username", USER, "--password-file", passwordFile.toString());

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(bare.show("main", FILE)).contains("newTag: 1.4.2");
    }

    @Test
    void aRollbackThatCannotSyncIsRefusedBeforeAnythingIsCloned() {
        Result result = run("rollback", "--repo", git.url(bare.name()), "--image", IMAGE);

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.errLine()).isEqualTo("gitops rollback: --app: name the application to sync (with --server or"
                + " --kube), or give --no-sync");

        Result badVersion = rollback("--to", "1.4 .2");

        assertThat(badVersion.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(badVersion.errLine()).startsWith("gitops rollback: --to: ");
        assertThat(git.pushes()).isZero();
    }
}
