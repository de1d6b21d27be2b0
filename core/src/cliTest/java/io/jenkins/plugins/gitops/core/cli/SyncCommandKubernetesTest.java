package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationControllerSimulator;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitops sync --kubeconfig}: the Kubernetes API path of the CLI. */
class SyncCommandKubernetesTest {

    private static final String NEW_SHA = "4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c8b1e0c";

    @TempDir
    Path dir;
    private ApplicationCrServer server;
    private KubernetesClient controllerClient;
    private ApplicationControllerSimulator controller;

    @BeforeAll
    static void requireTheApplicationCrd() {
        ApplicationCrServer.requireCrd();
    }

    @BeforeEach
    void start() {
        server = ApplicationCrServer.start();
        controllerClient = server.newClient();
        controller = ApplicationControllerSimulator.start(server, controllerClient).resolving("main", NEW_SHA);
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
    }

    @AfterEach
    void stop() {
        controller.close();
        controllerClient.close();
        server.close();
    }

    @Test
    void syncsThroughTheKubernetesApiAndReportsJson() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig("s3cr3t-token"));

        Result sync = run("sync", "--kubeconfig", kubeconfig.toString(), "--app", "guestbook", "--revision", NEW_SHA,
                "--initiated-by", "gitlab-ci", "--timeout", "60s", "--json");

        assertThat(sync.exit()).as(sync.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(sync.out());
        assertThat(result.path("outcome").asText()).isEqualTo("SYNCED");
        assertThat(result.path("revision").asText()).isEqualTo(NEW_SHA);
        assertThat(controller.finishedRuns()).singleElement().satisfies(run ->
                assertThat(run.operation().path("initiatedBy").path("username").asText()).isEqualTo("gitlab-ci"));
        assertThat(sync.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void kubernetesPathWithArgoCdServerIsBadInput() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig("t"));

        Result result = run("sync", "--kubeconfig", kubeconfig.toString(), "--server", "https://argocd.example.org",
                "--app", "guestbook");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).isEqualTo("gitops sync: --server: the Kubernetes API path (--kube, --kubeconfig) takes"
                + " no Argo CD server or credentials; give one or the other\n");
    }

    @Test
    void invalidKubeconfigIsBadInputWithoutQuotingIt() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "users: [ {token: s3cr3t-token");

        Result result = run("sync", "--kubeconfig", kubeconfig.toString(), "--app", "guestbook");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.errLine()).startsWith("gitops sync: --kubeconfig: '" + kubeconfig + "': the kubeconfig is not valid")
                .doesNotContain("s3cr3t");
    }

    @Test
    void neitherServerNorKubeSaysWhatToGive() {
        Result result = run("sync", "--app", "guestbook");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).isEqualTo("gitops sync: --server: give the Argo CD API server (or set $ARGOCD_SERVER),"
                + " or --kube/--kubeconfig for the Kubernetes API\n");
    }

}
