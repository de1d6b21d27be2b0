package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPathEditTest extends ConfigRepoTestCase {

    @Test
    void updatesTheScalarAtAnExplicitKeyPath() {
        repo.write("prometheus.yaml", "apiVersion: monitoring.coreos.com/v1\r\nkind: Prometheus\r\nspec:\r\n"
                + "  image: quay.io/prometheus/prometheus:v2.37.0\r\n  replicas: 1\r\n");

        EditReport report = repo.apply(EditRequest.of(ImageUpdate.tag("quay.io/prometheus/prometheus", "v2.38.0"))
                .withKind(TargetKind.KEY_PATH).withKeyPaths(List.of("spec.image")));

        assertThat(repo.read("prometheus.yaml")).isEqualTo("apiVersion: monitoring.coreos.com/v1\r\nkind: Prometheus\r\nspec:\r\n"
                + "  image: quay.io/prometheus/prometheus:v2.38.0\r\n  replicas: 1\r\n");
        assertThat(report.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(TargetKind.KEY_PATH);
            assertThat(c.field()).isEqualTo("spec.image");
            assertThat(c.line()).isEqualTo(4);
        });
    }

    @Test
    void selectsListItemsByKeyValueIndexAndWildcard() {
        repo.write("rollout.yaml", """
                kind: Rollout
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        image: acme/app:1
                      - name: proxy
                        image: acme/app:1
                """);

        EditReport report = repo.apply(EditRequest.of(ImageUpdate.tag("acme/app", "2")).withKind(TargetKind.KEY_PATH)
                .withKeyPaths(List.of("spec.template.spec.containers[name=app].image")));

        assertThat(report.changes()).extracting(Change::field).containsExactly("spec.template.spec.containers[name=app].image");
        assertThat(repo.read("rollout.yaml")).contains("name: app\n    image: acme/app:2".replace("\n", "\n    "))
                .contains("image: acme/app:1");

        repo.apply(EditRequest.of(ImageUpdate.tag("acme/app", "3")).withKind(TargetKind.KEY_PATH)
                .withKeyPaths(List.of("spec.template.spec.containers[*].image")));
        assertThat(repo.read("rollout.yaml")).doesNotContain("acme/app:1").doesNotContain("acme/app:2");

        repo.apply(EditRequest.of(ImageUpdate.tag("acme/app", "4")).withKind(TargetKind.KEY_PATH)
                .withKeyPaths(List.of("spec.template.spec.containers[1].image")));
        assertThat(repo.read("rollout.yaml")).contains("acme/app:3").contains("acme/app:4");
    }

    @Test
    void refusesAKeyPathNamingAMapping() {
        repo.write("x.yaml", "spec:\n  image:\n    name: acme/app\n");
        var before = repo.snapshot();

        assertThatThrownBy(() -> repo.apply(EditRequest.of(ImageUpdate.tag("acme/app", "2")).withKind(TargetKind.KEY_PATH)
                .withKeyPaths(List.of("spec.image"))))
                .isInstanceOf(ManifestEditException.class)
                .hasMessage("x.yaml:2: key path 'spec.image' names a mapping or list at spec.image;"
                        + " it must name a value holding an image reference");
        assertThat(repo.snapshot()).isEqualTo(before);
    }

    @Test
    void rejectsMalformedKeyPaths() {
        assertThatThrownBy(() -> EditRequest.of(ImageUpdate.tag("a", "1")).withKeyPaths(List.of("spec..image")))
                .hasMessageContaining("invalid key path 'spec..image': empty key at position 6");
        assertThatThrownBy(() -> EditRequest.of(ImageUpdate.tag("a", "1")).withKeyPaths(List.of("a[name]")))
                .hasMessageContaining("selector '[name]' must be [N], [key=value] or [*]");
    }
}
