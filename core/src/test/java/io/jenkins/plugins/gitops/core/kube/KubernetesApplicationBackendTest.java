package io.jenkins.plugins.gitops.core.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.Application.HelmParameter;
import io.jenkins.plugins.gitops.core.argocd.Application.Info;
import io.jenkins.plugins.gitops.core.argocd.ApplicationNotFoundException;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.InvalidRequestException;
import io.jenkins.plugins.gitops.core.argocd.OperationInProgressException;
import io.jenkins.plugins.gitops.core.argocd.PermissionDeniedException;
import io.jenkins.plugins.gitops.core.argocd.Refresh;
import io.jenkins.plugins.gitops.core.argocd.SpecOverride;
import io.jenkins.plugins.gitops.core.argocd.SyncRequest;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer.Recorded;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesApplicationBackendTest {

    private static final String NEW_SHA = "4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c8b1e0c";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GuestbookCluster cluster;
    private ApplicationCrServer server;
    private KubernetesApplicationBackend backend;
    private final ApplicationRef guestbook = ApplicationRef.of("guestbook");

    @BeforeAll
    static void requireTheApplicationCrd() {
        ApplicationCrServer.requireCrd();
    }

    @BeforeEach
    void startServer() {
        cluster = new GuestbookCluster();
        server = cluster.server;
        backend = cluster.backend;
    }

    @AfterEach
    void stopServer() {
        assertThat(server.rejectedWrites()).as("writes the API server would reject").isEmpty();
        cluster.close();
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
                .hasMessageContaining("needs get, watch and patch on applications.argoproj.io in namespace argocd");
    }

    @Test
    void kubeconfigCredentialAuthenticatesAndIsNeverShown() {
        ClusterAccess access = ClusterAccess.selfContainedKubeconfig(server.kubeconfig("s3cr3t-token"));
        try (KubernetesClient viaKubeconfig = access.connect()) {
            var other = new KubernetesApplicationBackend(viaKubeconfig, "argocd", "ci-bot", cluster.calls);

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

    @Test
    void overrideReplacesTheKustomizeImageInPlaceAndTouchesNothingElse() throws Exception {
        ObjectNode before = server.read("guestbook");

        boolean changed = backend.override(guestbook,
                new SpecOverride(List.of("ghcr.io/example-org/guestbook:1.5.0"), List.of(), null)).join();

        assertThat(changed).isTrue();
        ObjectNode after = server.read("guestbook");
        assertThat(after.path("spec").path("source").path("kustomize").path("images"))
                .containsExactly(JSON.getNodeFactory().textNode("ghcr.io/example-org/guestbook:1.5.0"));
        ObjectNode expected = before.deepCopy();
        ((ObjectNode) expected.get("spec").get("source").get("kustomize")).set("images", after.path("spec").path("source")
                .path("kustomize").path("images"));
        assertThat(after.get("spec")).isEqualTo(expected.get("spec"));
        assertThat(after.get("status")).isEqualTo(before.get("status"));
        JsonNode patch = JSON.readTree(patches().get(0).body());
        assertThat(patch.path("metadata").path("resourceVersion").asText())
                .isEqualTo(before.path("metadata").path("resourceVersion").asText());
        assertThat(patch.path("spec").toString())
                .isEqualTo("{\"source\":{\"kustomize\":{\"images\":[\"ghcr.io/example-org/guestbook:1.5.0\"]}}}");
    }

    @Test
    void overrideUpsertsHelmParametersKeepingTheirOrder() {
        server.update("guestbook", app -> {
            ObjectNode source = ((ObjectNode) app.get("spec")).putObject("source");
            source.put("repoURL", "https://charts.example.org").put("chart", "guestbook").put("targetRevision", "2.1.0");
            ArrayNode parameters = source.putObject("helm").putArray("parameters");
            parameters.addObject().put("name", "image.tag").put("value", "1.4.3");
            parameters.addObject().put("name", "replicaCount").put("value", "2");
        });

        boolean changed = backend.override(guestbook, new SpecOverride(List.of(), List.of(
                new HelmParameter("image.tag", "1.5.0", true),
                new HelmParameter("image.repository", "ghcr.io/example-org/guestbook", false)), null)).join();

        assertThat(changed).isTrue();
        Application stored = backend.get(guestbook, Refresh.NONE).join();
        assertThat(stored.spec().source().helm().parameters()).containsExactly(
                new HelmParameter("image.tag", "1.5.0", true),
                new HelmParameter("replicaCount", "2", false),
                new HelmParameter("image.repository", "ghcr.io/example-org/guestbook", false));
        JsonNode source = server.read("guestbook").path("spec").path("source");
        assertThat(source.path("chart").asText()).isEqualTo("guestbook");
        assertThat(source.path("targetRevision").asText()).isEqualTo("2.1.0");
    }

    @Test
    void overrideOfAMultiSourceAppChangesOnlyTheChosenSource() {
        server.update("guestbook", app -> {
            ObjectNode spec = (ObjectNode) app.get("spec");
            JsonNode single = spec.remove("source");
            ArrayNode sources = spec.putArray("sources");
            sources.addObject().put("repoURL", "https://github.com/example-org/values.git").put("ref", "values");
            sources.add(single);
        });
        JsonNode firstBefore = server.read("guestbook").path("spec").path("sources").get(0);

        assertThatThrownBy(() -> backend.override(guestbook,
                new SpecOverride(List.of("ghcr.io/example-org/guestbook:1.5.0"), List.of(), null)).join())
                .cause().isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("has 2 sources: say which one");
        backend.override(guestbook, new SpecOverride(List.of("ghcr.io/example-org/guestbook:1.5.0"), List.of(), 2)).join();

        JsonNode sources = server.read("guestbook").path("spec").path("sources");
        assertThat(sources.get(0)).isEqualTo(firstBefore);
        assertThat(sources.get(1).path("kustomize").path("images").get(0).asText())
                .isEqualTo("ghcr.io/example-org/guestbook:1.5.0");
        assertThat(sources.get(1).path("path").asText()).isEqualTo("apps/guestbook/overlays/prod");
    }

    @Test
    void overrideWithTheValuesAlreadyThereWritesNothing() {
        boolean changed = backend.override(guestbook,
                new SpecOverride(List.of("ghcr.io/example-org/guestbook:1.4.3"), List.of(), null)).join();

        assertThat(changed).isFalse();
        assertThat(patches()).isEmpty();
    }

    @Test
    void overrideLosingARaceReadsAgainAndKeepsTheOtherWrite() {
        server.beforeNextPatch("guestbook", app -> ((ObjectNode) app.get("spec")).put("project", "payments"));

        backend.override(guestbook, new SpecOverride(List.of("ghcr.io/example-org/guestbook:1.5.0"), List.of(), null)).join();

        assertThat(patches()).hasSize(2);
        ObjectNode stored = server.read("guestbook");
        assertThat(stored.path("spec").path("project").asText()).isEqualTo("payments");
        assertThat(stored.path("spec").path("source").path("kustomize").path("images").get(0).asText())
                .isEqualTo("ghcr.io/example-org/guestbook:1.5.0");
    }

    private List<Recorded> patches() {
        return server.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
    }
}
