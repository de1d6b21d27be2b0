package io.jenkins.plugins.gitops.core.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.Application.HelmParameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecOverrideTest {

    private static ObjectNode spec(String json) throws Exception {
        return (ObjectNode) ApplicationJson.mapper().readTree(json);
    }

    private static SpecOverride images(String... images) {
        return new SpecOverride(List.of(images), List.of(), null);
    }

    @Test
    void replacesTheImageWithTheSameNameInPlaceAndKeepsTheOthers() throws Exception {
        ObjectNode spec = spec("""
                {"project":"default","source":{"repoURL":"r","kustomize":{"images":
                  ["ghcr.io/org/api:1.0","ghcr.io/org/ui:2.0","ghcr.io/org/worker@sha256:aa"]}}}""");

        ObjectNode edited = images("ghcr.io/org/ui:2.1").applyTo(spec);

        assertThat(edited.at("/source/kustomize/images").toString())
                .isEqualTo("[\"ghcr.io/org/api:1.0\",\"ghcr.io/org/ui:2.1\",\"ghcr.io/org/worker@sha256:aa\"]");
        assertThat(edited.path("project").asText()).isEqualTo("default");
        assertThat(spec.at("/source/kustomize/images/1").asText()).as("input untouched").isEqualTo("ghcr.io/org/ui:2.0");
    }

    @Test
    void matchesOnThePartBeforeTheFirstEqualsColonOrAt() throws Exception {
        ObjectNode spec = spec("""
                {"source":{"kustomize":{"images":["nginx=ghcr.io/org/nginx:1.0","ghcr.io/org/worker@sha256:aa"]}}}""");

        ObjectNode edited = images("nginx=ghcr.io/org/nginx:1.1", "ghcr.io/org/worker:2.0").applyTo(spec);

        assertThat(edited.at("/source/kustomize/images").toString())
                .isEqualTo("[\"nginx=ghcr.io/org/nginx:1.1\",\"ghcr.io/org/worker:2.0\"]");
    }

    @Test
    void appendsAnImageNotYetOverriddenCreatingTheKustomizeBlock() throws Exception {
        ObjectNode edited = images("ghcr.io/org/api:1.0").applyTo(spec("{\"source\":{\"repoURL\":\"r\"}}"));

        assertThat(edited.at("/source/kustomize/images").toString()).isEqualTo("[\"ghcr.io/org/api:1.0\"]");
    }

    @Test
    void upsertsHelmParametersByName() throws Exception {
        ObjectNode spec = spec("""
                {"source":{"helm":{"releaseName":"gb","parameters":[{"name":"image.tag","value":"1.0"},
                  {"name":"replicas","value":"2"}]}}}""");

        ObjectNode edited = new SpecOverride(List.of(), List.of(new HelmParameter("image.tag", "1.1", true),
                new HelmParameter("image.repository", "ghcr.io/org/api", false)), null).applyTo(spec);

        assertThat(edited.at("/source/helm").toString()).isEqualTo("{\"releaseName\":\"gb\",\"parameters\":["
                + "{\"name\":\"image.tag\",\"value\":\"1.1\",\"forceString\":true},"
                + "{\"name\":\"replicas\",\"value\":\"2\"},"
                + "{\"name\":\"image.repository\",\"value\":\"ghcr.io/org/api\"}]}");
    }

    @Test
    void editsTheOnlySourceOfAMultiSourceSpecOrTheOneAtTheGivenPosition() throws Exception {
        assertThat(images("a:2").applyTo(spec("{\"sources\":[{\"repoURL\":\"r\"}]}")).at("/sources/0/kustomize/images/0")
                .asText()).isEqualTo("a:2");
        ObjectNode two = spec("{\"sources\":[{\"repoURL\":\"charts\"},{\"repoURL\":\"values\"}]}");
        assertThat(new SpecOverride(List.of("a:2"), null, 2).applyTo(two).at("/sources/1/kustomize/images/0").asText())
                .isEqualTo("a:2");
        assertThatThrownBy(() -> images("a:2").applyTo(two)).hasMessageContaining("has 2 sources: say which one");
        assertThatThrownBy(() -> new SpecOverride(List.of("a:2"), null, 3).applyTo(two))
                .hasMessageContaining("no source at position 3");
    }

    @Test
    void refusesEmptyOrMalformedOverrides() {
        assertThatThrownBy(() -> new SpecOverride(List.of(), List.of(), null)).hasMessageContaining("nothing to override");
        assertThatThrownBy(() -> images("ghcr.io/org/api: 1.0")).hasMessageContaining("expected [old=]new[:tag][@digest]");
        assertThatThrownBy(() -> new SpecOverride(null, List.of(new HelmParameter(" ", "x", false)), null))
                .hasMessageContaining("without a name");
    }
}
