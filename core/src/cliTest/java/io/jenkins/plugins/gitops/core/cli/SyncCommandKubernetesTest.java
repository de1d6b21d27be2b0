package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationControllerSimulator;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gitops sync --kubeconfig}: the Kubernetes API path of the CLI. */
class SyncCommandKubernetesTest {

    private static final String NEW_SHA = "4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c8b1e0c";

    @TempDir
    Path dir;
    private ApplicationCrServer server;
    private KubernetesClient controllerClient;
    private ApplicationControllerSimulator controller;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

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

        int exit = run("sync", "--kubeconfig", kubeconfig.toString(), "--app", "guestbook", "--revision", NEW_SHA,
                "--initiated-by", "gitlab-ci", "--timeout", "60s", "--json");

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(result.path("outcome").asText()).isEqualTo("synced");
        assertThat(result.path("revision").asText()).isEqualTo(NEW_SHA);
        assertThat(controller.finishedRuns()).singleElement().satisfies(run ->
                assertThat(run.operation().path("initiatedBy").path("username").asText()).isEqualTo("gitlab-ci"));
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).doesNotContain("s3cr3t");
    }

    @Test
    void kubernetesPathWithArgoCdServerIsBadInput() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig("t"));

        int exit = run("sync", "--kubeconfig", kubeconfig.toString(), "--server", "https://argocd.example.org",
                "--app", "guestbook");

        assertThat(exit).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not both");
    }

    @Test
    void invalidKubeconfigIsBadInputWithoutQuotingIt() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "users: [ {token: s3cr3t-token");

        int exit = run("sync", "--kubeconfig", kubeconfig.toString(), "--app", "guestbook");

        assertThat(exit).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the kubeconfig is not valid").doesNotContain("s3cr3t");
    }

    @Test
    void neitherServerNorKubeSaysWhatToGive() {
        int exit = run("sync", "--app", "guestbook");

        assertThat(exit).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give --server URL").contains("--kube");
    }

    private int run(String... args) {
        CommandLine command = GitopsCommand.commandLine();
        command.setOut(new java.io.PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
        command.setErr(new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        return command.execute(args);
    }
}
