package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.manifest.EditReport.Outcome;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgocdSourceEditTest extends ConfigRepoTestCase {

    private EditRequest request(ImageUpdate update, String path, String app) {
        return EditRequest.of(update).withKind(TargetKind.ARGOCD_SOURCE).withPaths(List.of(path)).withArgocdSourceApp(app);
    }

    @Test
    void createsTheKustomizeWriteBackFileInImageUpdaterLayout() {
        repo.write("guestbook/kustomization.yaml", "resources: [deploy.yaml]\n");

        EditReport report = repo.apply(request(ImageUpdate.tag("ghcr.io/example-org/guestbook", "1.4.3"), "guestbook", "guestbook"));

        assertThat(report.outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(report.files()).singleElement().satisfies(f -> assertThat(f.created()).isTrue());
        assertThat(repo.read("guestbook/.argocd-source-guestbook.yaml")).isEqualTo("""
                kustomize:
                  images:
                  - ghcr.io/example-org/guestbook:1.4.3
                """);
    }

    @Test
    void createsHelmParametersSortedWithForceString() {
        repo.write("chart/Chart.yaml", "name: guestbook\nversion: 1.0.0\n");

        repo.apply(request(ImageUpdate.tag("ghcr.io/example-org/guestbook", "1.10"), "chart", "guestbook"));

        assertThat(repo.read("chart/.argocd-source-guestbook.yaml")).isEqualTo("""
                helm:
                  parameters:
                  - name: image.name
                    value: ghcr.io/example-org/guestbook
                    forcestring: true
                  - name: image.tag
                    value: "1.10"
                    forcestring: true
                """);
    }

    @Test
    void upsertsAnExistingFile() {
        repo.write("app/.argocd-source-web.yaml", """
                kustomize:
                  images:
                    - quay.io/argoprojlabs/argocd-e2e-container:0.2""");

        repo.apply(request(ImageUpdate.tag("quay.io/argoprojlabs/argocd-e2e-container", "0.3"), "app", "web"));
        assertThat(repo.read("app/.argocd-source-web.yaml")).isEqualTo("""
                kustomize:
                  images:
                    - quay.io/argoprojlabs/argocd-e2e-container:0.3""");

        repo.apply(request(ImageUpdate.tag("ghcr.io/acme/worker", "2.0"), "app", "web"));
        assertThat(repo.read("app/.argocd-source-web.yaml")).isEqualTo("""
                kustomize:
                  images:
                    - quay.io/argoprojlabs/argocd-e2e-container:0.3
                    - ghcr.io/acme/worker:2.0""");
    }

    @Test
    void reportsUnchangedWhenTheFileAlreadyHasTheTag() throws Exception {
        repo.write("app/.argocd-source-web.yaml", "helm:\n  parameters:\n  - name: image.name\n    value: acme/web\n"
                + "    forcestring: true\n  - name: image.tag\n    value: \"2\"\n    forcestring: true\n");
        Files.setLastModifiedTime(dir.resolve("app/.argocd-source-web.yaml"), java.nio.file.attribute.FileTime.fromMillis(0));

        EditReport report = repo.apply(request(ImageUpdate.tag("acme/web", "2"), "app", "web"));

        assertThat(report.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(Files.getLastModifiedTime(dir.resolve("app/.argocd-source-web.yaml")).toMillis()).isZero();
    }

    @Test
    void aWholeRepositoryScanUpdatesWriteBackFilesItFinds() {
        repo.write("app/.argocd-source.yaml", "kustomize:\n  images:\n  - acme/web:1\n");

        repo.apply(ImageUpdate.tag("acme/web", "2"));

        assertThat(repo.read("app/.argocd-source.yaml")).isEqualTo("kustomize:\n  images:\n  - acme/web:2\n");
    }
}
