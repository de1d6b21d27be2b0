package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeApplication;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that name an application instead of a repository, against the fake Argo CD and a real git server. */
class ApplicationCommandsTest {

    private static final String USER = "deployer";
    private static final String PASSWORD = "tok3n-Never-Printed-417";
    private static final String IMAGE = "ghcr.io/example-org/guestbook";
    private static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - deployment.yaml
            images:
              - name: ghcr.io/example-org/guestbook
                newTag: 1.4.2
            """;
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
                      image: ghcr.io/example-org/guestbook
            """;

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer git;
    private FakeArgoCd argo;
    private FakeApplication app;
    private Path passwordFile;
    private Path tokenFile;

    @BeforeEach
    void start() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = BareRepository.create(served, "config.git", "main", Map.of(
                "apps/guestbook/kustomization.yaml", KUSTOMIZATION,
                "apps/guestbook/deployment.yaml", DEPLOYMENT));
        git = GitHttpServer.start(served, USER, PASSWORD);
        argo = FakeArgoCd.builder().gitRepository(bare.path()).start();
        app = argo.createApp(FakeArgoCd.CONTROLLER_NAMESPACE, "guestbook", git.url(bare.name()), "main")
                .path("apps/guestbook");
        passwordFile = Files.writeString(temp.resolve("password"), PASSWORD + "\n");
        tokenFile = Files.writeString(temp.resolve("token"), argo.issueToken(FakeArgoCd.USERNAME));
    }

    @AfterEach
    void stop() {
        argo.close();
        git.close();
    }

    private List<String> gitCredentials() {
        return List.of("--username", USER, "--password-file", passwordFile.toString());
    }

    private Result update(String... more) {
        List<String> args = new ArrayList<>(List.of("update", "--app", "guestbook", "--server", argo.url(),
                "--token-file", tokenFile.toString(), "--image", IMAGE));
        args.addAll(gitCredentials());
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void updateByApplicationNameReadsRepositoryBranchAndPathFromArgoCd() throws IOException {
        Result result = update("--tag", "1.5.0", "--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("outcome").asText()).isEqualTo("PUSHED");
        assertThat(json.path("commit").asText()).isEqualTo(bare.commitOf("main"));
        assertThat(bare.filesChangedBy("main")).containsExactly("apps/guestbook/kustomization.yaml");
        assertThat(bare.show("main", "apps/guestbook/kustomization.yaml")).contains("newTag: 1.5.0");
        assertThat(result.err()).contains("gitops update: application guestbook: " + git.url(bare.name()) + " (branch main), apps/guestbook");
        assertThat(result.err() + result.out()).doesNotContain(PASSWORD);
    }

    @Test
    void updateByApplicationNameThroughTheKubernetesApi() throws IOException {
        try (ApplicationCrServer cluster = ApplicationCrServer.start()) {
            ObjectNode resource = ApplicationCrServer.exampleApplication("guestbook");
            ObjectNode spec = resource.withObjectProperty("spec");
            spec.remove("sources");
            spec.putObject("source").put("repoURL", git.url(bare.name())).put("targetRevision", "main").put("path", "apps/guestbook");
            cluster.create(resource);
            Path kubeconfig = Files.writeString(temp.resolve("kubeconfig"), cluster.kubeconfig("kube-t0ken"));
            List<String> args = new ArrayList<>(List.of("update", "--app", "guestbook", "--kubeconfig", kubeconfig.toString(),
                    "--image", IMAGE, "--tag", "1.6.0"));
            args.addAll(gitCredentials());

            Result result = run(args.toArray(String[]::new));

            assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(bare.show("main", "apps/guestbook/kustomization.yaml")).contains("newTag: 1.6.0");
        }
    }

    @Test
    void applicationOnATagIsRefusedAsBadInputSayingWhatToDoInstead() throws IOException {
        GitCli.run(bare.path(), "tag", "v1.0", "main");
        app.edit(json -> json.withObjectProperty("spec").withObjectProperty("source").put("targetRevision", "v1.0"));

        Result result = update("--tag", "1.5.0", "--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("error").path("problem").asText()).isEqualTo("app-target-refused");
        assertThat(result.lastErrLine()).contains("follows the tag 'v1.0'").contains("Point the Application at a branch");
        assertThat(bare.subjects("main")).hasSize(1);
    }

    @Test
    void updateWritesTheArgoCdSourceFileNamedAfterTheNamespaceOfAnAppOutsideTheControlPlanes() {
        argo.createApp("team-a", "guestbook", git.url(bare.name()), "main").path("apps/guestbook");
        List<String> args = new ArrayList<>(List.of("update", "--app", "guestbook", "--app-namespace", "team-a",
                "--server", argo.url(), "--token-file", tokenFile.toString(), "--image", IMAGE, "--tag", "1.7.0",
                "--kind", "argocd-source"));
        args.addAll(gitCredentials());

        Result result = run(args.toArray(String[]::new));

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(bare.filesChangedBy("main")).containsExactly("apps/guestbook/.argocd-source-team-a_guestbook.yaml");
        assertThat(bare.show("main", "apps/guestbook/.argocd-source-team-a_guestbook.yaml"))
                .contains("ghcr.io/example-org/guestbook:1.7.0");
    }

    @Test
    void updateWithRepoAndServerIsRefusedNamingBoth() {
        Result result = run("update", "--repo", git.url(bare.name()), "--server", argo.url(), "--image", IMAGE, "--tag", "1.5.0");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.errLine()).contains("--repo: names the repository by hand");
    }

    @Test
    void missingApplicationIsBadInput() {
        Result result = run("update", "--app", "nope", "--project", "default", "--server", argo.url(),
                "--token-file", tokenFile.toString(), "--image", IMAGE, "--tag", "1.5.0");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.errLine()).contains("nope");
    }

    @Test
    void syncWaitsForAnApplicationAnApplicationSetGeneratesTwoSecondsLater() throws Exception {
        ScheduledExecutorService generator = Executors.newSingleThreadScheduledExecutor();
        try {
            generator.schedule(() -> argo.createApp(FakeArgoCd.CONTROLLER_NAMESPACE, "guestbook-pr-7", git.url(bare.name()), "main")
                    .path("apps/guestbook"), 2, TimeUnit.SECONDS);

            Result result = run("sync", "guestbook-pr-7", "--server", argo.url(), "--token-file", tokenFile.toString(),
                    "--wait-for-app", "1m", "--timeout", "1m");

            assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(result.errLine()).isEqualTo("gitops sync: waiting up to 60s for application guestbook-pr-7 to exist");
            assertThat(argo.requests("POST", "/api/v1/applications/guestbook-pr-7/sync")).hasSize(1);
        } finally {
            generator.shutdownNow();
        }
    }

    @Test
    void syncOfAnApplicationThatNeverAppearsEndsAsATimeoutSayingSo() throws IOException {
        Result result = run("sync", "never-generated", "--project", "default", "--server", argo.url(),
                "--token-file", tokenFile.toString(), "--wait-for-app", "2s", "--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.TIMEOUT.code());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("error").path("problem").asText()).isEqualTo("app-did-not-appear");
        assertThat(result.lastErrLine()).contains("Application never-generated did not appear within 2 s on " + argo.url());
        assertThat(argo.requests("POST", "/api/v1/applications/never-generated/sync")).isEmpty();
    }

    @Test
    void setImageWithAppEditsTheApplicationsSourceInACheckoutOfItsRepository() throws IOException {
        GitCli.run(temp, "clone", "-q", bare.path().toString(), "checkout");
        Path checkout = temp.resolve("checkout");
        GitCli.run(checkout, "remote", "set-url", "origin", git.url(bare.name()));

        Result result = run("set-image", checkout.toString(), "--app", "guestbook", "--server", argo.url(),
                "--token-file", tokenFile.toString(), "--image", IMAGE, "--tag", "1.5.0");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(result.out()).isEqualTo("apps/guestbook/kustomization.yaml:7  kustomization  1.4.2 -> 1.5.0\n");
        assertThat(Files.readString(checkout.resolve("apps/guestbook/deployment.yaml"))).isEqualTo(DEPLOYMENT);
    }

    @Test
    void setImageWithAppRefusesACheckoutOfAnotherRepository() throws IOException {
        GitCli.run(temp, "clone", "-q", bare.path().toString(), "checkout");
        Path checkout = temp.resolve("checkout");

        Result result = run("set-image", checkout.toString(), "--app", "guestbook", "--server", argo.url(),
                "--token-file", tokenFile.toString(), "--image", IMAGE, "--tag", "1.5.0");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.errLine()).contains("is not a checkout of " + git.url(bare.name()) + " (branch main)");
    }

    @Test
    void writeBackArgocdOverridesTheImageOnTheApplicationAndCommitsNothing() throws IOException {
        String[] args = {"set-image", "--app", "guestbook", "--server", argo.url(), "--token-file", tokenFile.toString(),
            "--write-back", "argocd", "--image", IMAGE, "--tag", "1.5.0", "--json"};

        Result first = run(args);
        Result again = run(args);

        assertThat(first.exit()).as(first.toString()).isEqualTo(ExitCode.OK.code());
        JsonNode json = new ObjectMapper().readTree(first.out());
        assertThat(json.path("field").asText()).isEqualTo("spec.source.kustomize.images");
        assertThat(json.path("value").asText()).isEqualTo(IMAGE + ":1.5.0");
        assertThat(app.json().path("spec").path("source").path("kustomize").path("images").toString())
                .isEqualTo("[\"" + IMAGE + ":1.5.0\"]");
        assertThat(again.exit()).as("the override is in place: a distinct outcome").isEqualTo(ExitCode.NOTHING_TO_CHANGE.code());
        assertThat(bare.subjects("main")).hasSize(1);
    }

    @Test
    void writeBackArgocdThroughTheKubernetesApiSetsHelmParameters() throws IOException {
        try (ApplicationCrServer cluster = ApplicationCrServer.start()) {
            ObjectNode resource = ApplicationCrServer.exampleApplication("guestbook");
            ObjectNode spec = resource.withObjectProperty("spec");
            spec.remove("sources");
            spec.putObject("source").put("repoURL", git.url(bare.name())).put("targetRevision", "main").put("path", "charts/guestbook");
            cluster.create(resource);
            Path kubeconfig = Files.writeString(temp.resolve("kubeconfig"), cluster.kubeconfig("kube-t0ken"));

            Result result = run("set-image", "--app", "guestbook", "--kubeconfig", kubeconfig.toString(), "--write-back", "argocd",
                    "--kind", "helm-values", "--image", IMAGE, "--tag", "1.10");

            assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(cluster.read("guestbook").path("spec").path("source").path("helm").path("parameters").toString())
                    .contains("{\"name\":\"image.tag\",\"value\":\"1.10\",\"forceString\":true}");
            assertThat(cluster.rejectedWrites()).isEmpty();
        }
    }
}
