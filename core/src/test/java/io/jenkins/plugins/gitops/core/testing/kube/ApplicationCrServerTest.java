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

    private void patch(String json) {
        client.genericKubernetesResources(ApplicationCrServer.APPLICATIONS).inNamespace(ApplicationCrServer.NAMESPACE)
                .withName("guestbook").patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }
}
