package io.jenkins.plugins.gitops.core.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.Application.Info;
import io.jenkins.plugins.gitops.core.argocd.ApplicationNotFoundException;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.InvalidRequestException;
import io.jenkins.plugins.gitops.core.argocd.OperationInProgressException;
import io.jenkins.plugins.gitops.core.argocd.PermissionDeniedException;
import io.jenkins.plugins.gitops.core.argocd.Refresh;
import io.jenkins.plugins.gitops.core.argocd.SyncRequest;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer.Recorded;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesApplicationBackendTest {

    private static final String NEW_SHA = "4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c8b1e0c";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApplicationCrServer server;
    private KubernetesClient client;
    private ExecutorService executor;
    private KubernetesApplicationBackend backend;
    private final ApplicationRef guestbook = ApplicationRef.of("guestbook");

    @BeforeEach
    void startServer() {
        server = ApplicationCrServer.start();
        client = server.newClient();
        executor = Executors.newFixedThreadPool(2);
        backend = new KubernetesApplicationBackend(client, null, null, executor);
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
    }

    @AfterEach
    void stopServer() {
        assertThat(server.rejectedWrites()).as("writes the API server would reject").isEmpty();
        executor.shutdownNow();
        client.close();
        server.close();
    }

    @Test
    void syncWritesOperationGuardedByTheResourceVersionItRead() throws Exception {
        String readVersion = server.read("guestbook").path("metadata").path("resourceVersion").asText();
        SyncRequest request = SyncRequest.defaults().withRevision(NEW_SHA).withPrune(true)
                .withStrategy(new SyncRequest.Strategy(SyncRequest.Strategy.Kind.APPLY, true))
                .withInfo(new Info("build", "142"));

        Application started = backend.sync(guestbook, request).join();

        assertThat(started.operation()).isNotNull();
        assertThat(started.operation().info()).containsExactly(new Info("build", "142"));
        JsonNode operation = server.read("guestbook").path("operation");
        assertThat(operation.path("initiatedBy").path("username").asText()).isEqualTo("jenkins");
        assertThat(operation.path("initiatedBy").has("automated")).isFalse();
        assertThat(operation.path("sync").path("revision").asText()).isEqualTo(NEW_SHA);
        assertThat(operation.path("sync").path("prune").asBoolean()).isTrue();
        assertThat(operation.path("sync").path("syncStrategy").path("apply").path("force").asBoolean()).isTrue();
        assertThat(operation.path("sync").path("syncOptions")).as("the app's syncPolicy options, as the API server copies them")
                .containsExactly(JSON.getNodeFactory().textNode("CreateNamespace=true"));
        JsonNode patch = JSON.readTree(patches().get(0).body());
        assertThat(patch.path("metadata").path("resourceVersion").asText()).isEqualTo(readVersion);
    }

    @Test
    void syncWithoutRevisionLeavesItEmptyForTheSpecsTargetRevision() {
        backend.sync(guestbook, SyncRequest.defaults().withInfo(new Info("build", "7"))).join();

        JsonNode sync = server.read("guestbook").path("operation").path("sync");
        assertThat(sync.path("revision").asText("absent")).isEmpty();
        assertThat(sync.path("syncStrategy").path("hook").isObject()).isTrue();
    }

    @Test
    void syncRefusesWhileAnotherOperationIsRequested() {
        server.update("guestbook", app -> app.putObject("operation").putObject("initiatedBy").put("username", "alice"));

        assertThatThrownBy(() -> backend.sync(guestbook, SyncRequest.defaults()).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(OperationInProgressException.class)
                .hasMessageContaining("another operation is already in progress on argocd/guestbook (started by alice)");
        assertThat(patches()).isEmpty();
    }

    @Test
    void conflictWithAnOperationStartedMeanwhileIsReportedAsInProgress() {
        server.beforeNextPatch("guestbook",
                app -> app.putObject("operation").putObject("initiatedBy").put("automated", true));

        assertThatThrownBy(() -> backend.sync(guestbook, SyncRequest.defaults()).join())
                .cause().isInstanceOf(OperationInProgressException.class)
                .hasMessageContaining("(automated sync)");
        assertThat(patches()).hasSize(1);
        assertThat(server.read("guestbook").path("operation").path("initiatedBy").path("automated").asBoolean()).isTrue();
    }

    @Test
    void conflictWithAStatusUpdateIsReReadAndSyncedAgain() {
        server.beforeNextPatch("guestbook", app -> ((ObjectNode) app.get("status")).put("reconciledAt", "2026-11-22T10:00:00Z"));

        backend.sync(guestbook, SyncRequest.defaults().withInfo(new Info("build", "9"))).join();

        assertThat(patches()).hasSize(2);
        ObjectNode stored = server.read("guestbook");
        assertThat(stored.path("operation").path("info").get(0).path("value").asText()).isEqualTo("9");
        assertThat(stored.path("status").path("reconciledAt").asText()).isEqualTo("2026-11-22T10:00:00Z");
    }

    @Test
    void autoSyncAppRefusesAnotherRevisionLikeTheApiServer() {
        server.update("guestbook", app -> ((ObjectNode) app.get("spec").get("syncPolicy")).putObject("automated"));

        assertThatThrownBy(() -> backend.sync(guestbook, SyncRequest.defaults().withRevision(NEW_SHA)).join())
                .cause().isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Cannot sync to " + NEW_SHA + ": auto-sync currently set to main");
        assertThat(patches()).isEmpty();
    }

    @Test
    void terminateMarksTheRunningOperationTerminating() {
        server.update("guestbook", app -> {
            app.putObject("operation").putObject("sync").put("revision", NEW_SHA);
            ((ObjectNode) app.get("status").get("operationState")).put("phase", "Running").remove("finishedAt");
        });

        backend.terminate(guestbook).join();

        ObjectNode stored = server.read("guestbook");
        assertThat(stored.path("status").path("operationState").path("phase").asText()).isEqualTo("Terminating");
        assertThat(stored.path("operation").isObject()).as("the controller removes the operation, not the client").isTrue();
    }

    @Test
    void terminateWithdrawsAnOperationTheControllerHasNotStarted() {
        server.update("guestbook", app -> app.putObject("operation").putObject("sync").put("revision", NEW_SHA));

        backend.terminate(guestbook).join();

        ObjectNode stored = server.read("guestbook");
        assertThat(stored.path("operation").isObject()).isFalse();
        assertThat(stored.path("status").path("operationState").path("phase").asText()).isEqualTo("Succeeded");
    }

    @Test
    void terminateWithNothingRunningWritesNothing() {
        backend.terminate(guestbook).join();

        assertThat(patches()).isEmpty();
    }

    @Test
    void refreshSetsTheAnnotationTheControllerReactsTo() {
        backend.get(guestbook, Refresh.HARD).join();

        assertThat(server.read("guestbook").path("metadata").path("annotations").path("argocd.argoproj.io/refresh").asText())
                .isEqualTo("hard");
    }

    @Test
    void missingApplicationNamesNamespaceAndName() {
        assertThatThrownBy(() -> backend.get(ApplicationRef.of("nope"), Refresh.NONE).join())
                .cause().isInstanceOf(ApplicationNotFoundException.class)
                .hasMessageContaining("Application argocd/nope not found");
    }

    @Test
    void applicationOfAnotherProjectIsNotFound() {
        assertThatThrownBy(() -> backend.get(new ApplicationRef("guestbook", null, "payments"), Refresh.NONE).join())
                .cause().isInstanceOf(ApplicationNotFoundException.class)
                .hasMessageContaining("is not in project payments");
    }

    @Test
    void forbiddenNamesTheRbacTheServiceAccountNeeds() {
        server.forbidReading("guestbook");

        assertThatThrownBy(() -> backend.get(guestbook, Refresh.NONE).join())
                .cause().isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("needs get, list, watch and patch on applications.argoproj.io in namespace argocd");
    }

    @Test
    void kubeconfigCredentialAuthenticatesAndIsNeverShown() {
        ClusterAccess access = ClusterAccess.kubeconfig(server.kubeconfig("s3cr3t-token"));
        try (KubernetesClient viaKubeconfig = access.connect()) {
            var other = new KubernetesApplicationBackend(viaKubeconfig, "argocd", "ci-bot", executor);

            other.sync(guestbook, SyncRequest.defaults()).join();

            assertThat(server.read("guestbook").path("operation").path("initiatedBy").path("username").asText())
                    .isEqualTo("ci-bot");
            assertThat(server.requests()).last().extracting(Recorded::authorization).isEqualTo("Bearer");
            assertThat(other.describe()).doesNotContain("s3cr3t");
        }
        assertThat(access.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void invalidKubeconfigErrorDoesNotQuoteIt() {
        ClusterAccess access = ClusterAccess.kubeconfig("users: [ {token: s3cr3t-token");

        assertThatThrownBy(access::connect)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the kubeconfig is not valid")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }

    private List<Recorded> patches() {
        return server.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
    }
}
