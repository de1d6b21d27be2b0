package io.jenkins.plugins.gitops.core.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake must refuse what a real API server would refuse or silently drop, or tests against it prove nothing. */
class ApplicationCrServerTest {

    private ApplicationCrServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = ApplicationCrServer.start();
        client = server.newClient();
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void misspeltFieldIsRejectedNotStored() {
        ApplicationCrServer.requireSchema();
        assertThatThrownBy(() -> patch("{\"operation\":{\"sync\":{\"syncStrategy\":{\"hooks\":{}}}}}"))
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining("at '/operation/sync/syncStrategy': unknown field 'hooks'");
        assertThat(server.read("guestbook").has("operation")).isFalse();
    }

    @Test
    void wrongTypeAndMissingRequiredFieldAreRejected() {
        ApplicationCrServer.requireSchema();
        assertThatThrownBy(() -> patch("{\"operation\":{\"sync\":{\"prune\":\"yes\"}}}"))
                .hasMessageContaining("at '/operation/sync/prune': expected a boolean");
        ObjectNode app = ApplicationCrServer.exampleApplication("no-destination");
        ((ObjectNode) app.get("spec")).remove("destination");
        assertThatThrownBy(() -> server.create(app)).hasMessageContaining("at '/spec': missing required field 'destination'");
        assertThat(server.rejectedWrites()).hasSize(2);
    }

    @Test
    void mergePatchReplacesArraysAndNullRemoves() {
        patch("{\"spec\":{\"source\":{\"kustomize\":{\"images\":[\"nginx:1.27\"]}}},\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        patch("{\"metadata\":{\"labels\":null}}");

        ObjectNode stored = server.read("guestbook");
        assertThat(stored.path("spec").path("source").path("kustomize").path("images").toString()).isEqualTo("[\"nginx:1.27\"]");
        assertThat(stored.path("metadata").has("labels")).isFalse();
    }

    @Test
    void staleResourceVersionConflicts() {
        String version = server.read("guestbook").path("metadata").path("resourceVersion").asText();
        server.update("guestbook", app -> ((ObjectNode) app.get("spec")).put("project", "payments"));

        assertThatThrownBy(() -> patch("{\"metadata\":{\"resourceVersion\":\"" + version + "\"},\"operation\":{}}"))
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
    }

    @Test
    void aCheckThatFailsOnTheServersThreadFailsTheTestWhenTheServerCloses() {
        ApplicationCrServer failing = ApplicationCrServer.start();
        failing.create(ApplicationCrServer.exampleApplication("guestbook"));
        failing.beforeNextPatch("guestbook", app -> {
            throw new AssertionError("checked on the server's thread");
        });

        try (KubernetesClient own = failing.newClient()) {
            own.genericKubernetesResources(ApplicationCrServer.APPLICATIONS).inNamespace(ApplicationCrServer.NAMESPACE)
                    .withName("guestbook").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        }
        // the server answered 500, the client retried and its retry went through: the test alone would never know
        assertThat(failing.requests()).filteredOn(request -> request.method().equals("PATCH")).hasSize(2);
        assertThat(failing.read("guestbook").path("metadata").path("labels").path("a").asText()).isEqualTo("b");
        assertThatThrownBy(failing::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 failure(s) on the threads of the Kubernetes API server")
                .hasMessageContaining("PATCH /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/guestbook")
                .hasRootCauseMessage("checked on the server's thread");
    }

    private void patch(String json) {
        client.genericKubernetesResources(ApplicationCrServer.APPLICATIONS).inNamespace(ApplicationCrServer.NAMESPACE)
                .withName("guestbook").patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }
}
