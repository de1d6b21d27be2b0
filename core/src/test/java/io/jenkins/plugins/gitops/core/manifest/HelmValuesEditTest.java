package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelmValuesEditTest extends ConfigRepoTestCase {

    private static final String SHA = "sha256:" + "cd".repeat(32);

    @Test
    void updatesRepositoryTagBlockAndClearsAStaleDigest() {
        repo.write("values.yaml", """
                image:
                  registry: docker.io
                  repository: bitnami/nginx
                  ## @param image.tag NGINX image tag
                  tag: 1.29.0-debian-12-r0
                  digest: "%s"
                metrics:
                  image:
                    registry: docker.io
                    repository: bitnami/nginx-exporter
                    tag: 1.4.2
                """.formatted(SHA));

        EditReport report = repo.apply(ImageUpdate.tag("bitnami/nginx", "1.29.1-debian-12-r0"));

        assertThat(repo.read("values.yaml")).isEqualTo("""
                image:
                  registry: docker.io
                  repository: bitnami/nginx
                  ## @param image.tag NGINX image tag
                  tag: 1.29.1-debian-12-r0
                  digest: ""
                metrics:
                  image:
                    registry: docker.io
                    repository: bitnami/nginx-exporter
                    tag: 1.4.2
                """);
        assertThat(report.changes()).extracting(Change::field).containsExactly("image.tag", "image.digest");
        assertThat(report.changes()).allMatch(c -> c.kind() == TargetKind.HELM_VALUES);
    }

    @Test
    void keepsNumericLookingTagsStrings() {
        repo.write("values.yaml", "image:\n  repository: acme/app\n  tag: 0.1\n");
        repo.write("quoted/values.yaml", "image:\n  repository: acme/app\n  tag: '1.9'\n");

        repo.apply(ImageUpdate.tag("acme/app", "1.10"));

        assertThat(repo.read("values.yaml")).isEqualTo("image:\n  repository: acme/app\n  tag: \"1.10\"\n");
        assertThat(repo.read("quoted/values.yaml")).isEqualTo("image:\n  repository: acme/app\n  tag: '1.10'\n");
    }

    @Test
    void quotesATagThatHasTheRequestedTextButReadsAsANumber() {
        repo.write("values.yaml", "image:\n  repository: acme/app\n  tag: 1.10\n");

        EditReport report = repo.apply(ImageUpdate.tag("acme/app", "1.10"));

        assertThat(report.outcome()).isEqualTo(EditReport.Outcome.CHANGED);
        assertThat(repo.read("values.yaml")).isEqualTo("image:\n  repository: acme/app\n  tag: \"1.10\"\n");
        assertThat(repo.apply(ImageUpdate.tag("acme/app", "1.10")).outcome()).isEqualTo(EditReport.Outcome.UNCHANGED);
    }

    @Test
    void writesAnIntegerLookingTagQuotedAndAWordTagPlain() {
        repo.write("values.yaml", "image:\n  repository: acme/app\n  tag: v1\n");

        repo.apply(ImageUpdate.tag("acme/app", "123"));
        assertThat(repo.read("values.yaml")).endsWith("  tag: \"123\"\n");

        repo.apply(ImageUpdate.tag("acme/app", "v124"));
        assertThat(repo.read("values.yaml")).endsWith("  tag: \"v124\"\n");
    }

    @Test
    void updatesOneStringImagesAndNestedComponentBlocks() {
        repo.write("values-prod.yaml", """
                web:
                  image: ghcr.io/acme/web:2.0.0
                manager:
                  image:
                    repository: 127.0.0.1:30000/manager
                    tag: "1.0"
                session:
                  image:
                    repository: 127.0.0.1:30000/session
                    tag: "1.0"
                extraContainers:
                  - name: tail
                    image: ghcr.io/acme/web:2.0.0
                """);

        EditReport report = repo.editor().apply(new EditRequest(List.of(
                ImageUpdate.tag("ghcr.io/acme/web", "2.1.0"), ImageUpdate.tag("127.0.0.1:30000/session", "1.1")),
                null, null, null, null, null));

        assertThat(repo.read("values-prod.yaml")).isEqualTo("""
                web:
                  image: ghcr.io/acme/web:2.1.0
                manager:
                  image:
                    repository: 127.0.0.1:30000/manager
                    tag: "1.0"
                session:
                  image:
                    repository: 127.0.0.1:30000/session
                    tag: "1.1"
                extraContainers:
                  - name: tail
                    image: ghcr.io/acme/web:2.1.0
                """);
        assertThat(report.images()).extracting(EditReport.ImageResult::references).containsExactly(2, 1);
    }

    @Test
    void splitsANewNameIntoRegistryAndRepository() {
        repo.write("values.yaml", "image:\n  registry: docker.io\n  repository: bitnami/git\n  tag: 2.50.0\n");

        repo.apply(new ImageUpdate("bitnami/git", "ghcr.io/acme/git", "2.51.0", null));

        assertThat(repo.read("values.yaml")).isEqualTo("image:\n  registry: ghcr.io\n  repository: acme/git\n  tag: 2.51.0\n");
    }

    @Test
    void addsAMissingTagAfterTheRepository() {
        repo.write("values.yaml", """
                haproxy:
                  image:
                    # -- HAProxy Image Repository
                    repository: ecr-public.aws.com/docker/library/haproxy
                  metrics:
                    enabled: true
                """);

        repo.apply(ImageUpdate.tag("ecr-public.aws.com/docker/library/haproxy", "3.0.8"));

        assertThat(repo.read("values.yaml")).isEqualTo("""
                haproxy:
                  image:
                    # -- HAProxy Image Repository
                    repository: ecr-public.aws.com/docker/library/haproxy
                    tag: 3.0.8
                  metrics:
                    enabled: true
                """);
    }

    @Test
    void setsADigestInTheShaKeyAndLeavesTheTag() {
        repo.write("values.yaml", "image:\n  repository: grafana/grafana\n  tag: \"\"\n  sha: \"\"\n");

        repo.apply(new ImageUpdate("grafana/grafana", null, null, SHA));

        assertThat(repo.read("values.yaml")).isEqualTo("image:\n  repository: grafana/grafana\n  tag: \"\"\n  sha: \"" + SHA + "\"\n");
    }

    @Test
    void readsIngressNginxStyleImageImageAndRedisHaStyleImageWithTag() {
        repo.write("values.yaml", """
                controller:
                  image:
                    # registry: registry.k8s.io
                    image: ingress-nginx/controller
                    tag: "v1.15.1"
                exporter:
                  image: ghcr.io/oliver006/redis_exporter
                  tag: v1.75.0
                """);

        repo.apply(ImageUpdate.tag("ingress-nginx/controller", "v1.15.2"));
        repo.apply(ImageUpdate.tag("ghcr.io/oliver006/redis_exporter", "v1.76.0"));

        assertThat(repo.read("values.yaml")).contains("    tag: \"v1.15.2\"\n").contains("  tag: v1.76.0\n");
    }

    @Test
    void configuredKeyPathsLimitWhereImagesAreLooked() {
        repo.write("values.yaml", """
                app:
                  image:
                    repository: acme/app
                    tag: "1"
                other:
                  repository: acme/app
                  tag: "1"
                """);

        repo.apply(EditRequest.of(ImageUpdate.tag("acme/app", "2")).withKind(TargetKind.HELM_VALUES)
                .withHelmKeyPaths(List.of("app.image")));

        assertThat(repo.read("values.yaml")).isEqualTo("""
                app:
                  image:
                    repository: acme/app
                    tag: "2"
                other:
                  repository: acme/app
                  tag: "1"
                """);
    }

    @Test
    void leavesCommentedOutImagesAlone() {
        repo.write("values.yaml", """
                image:
                  repository: busybox
                  tag: "1.36"
                ## sidecars:
                ##   - name: x
                ##     image: busybox:1.36
                """);

        repo.apply(ImageUpdate.tag("busybox", "1.37"));

        assertThat(repo.read("values.yaml")).contains("  tag: \"1.37\"\n").contains("##     image: busybox:1.36\n");
    }
}
