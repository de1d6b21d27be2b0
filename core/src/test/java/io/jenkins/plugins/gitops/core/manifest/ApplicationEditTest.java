package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApplicationEditTest extends ConfigRepoTestCase {

    @Test
    void updatesKustomizeImagesOfSourceAndSourcesInBothForms() {
        repo.write("apps/guestbook.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: guestbook
                spec:
                  source:
                    repoURL: https://github.com/acme/config.git
                    path: guestbook
                    kustomize:
                      images:
                      - gcr.io/heptio-images/ks-guestbook-demo:0.2   # pinned
                      - my-app=gcr.io/my-repo/my-app:0.1
                  sources:
                  - repoURL: https://github.com/acme/other.git
                    kustomize:
                      images: ["gcr.io/heptio-images/ks-guestbook-demo:0.2"]
                """);

        EditReport report = repo.apply(ImageUpdate.tag("gcr.io/heptio-images/ks-guestbook-demo", "0.3"));
        repo.apply(ImageUpdate.tag("my-app", "0.2"));

        assertThat(repo.read("apps/guestbook.yaml"))
                .contains("      - gcr.io/heptio-images/ks-guestbook-demo:0.3   # pinned\n")
                .contains("      - my-app=gcr.io/my-repo/my-app:0.2\n")
                .contains("      images: [\"gcr.io/heptio-images/ks-guestbook-demo:0.3\"]\n");
        assertThat(report.changes()).extracting(Change::field).containsExactly(
                "spec.source.kustomize.images[0]", "spec.sources[0].kustomize.images[0]");
        assertThat(report.changes()).allMatch(c -> c.kind() == TargetKind.APPLICATION);
    }

    @Test
    void updatesHelmParametersAndValuesObject() {
        repo.write("app.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata: {name: web}
                spec:
                  sources:
                  - repoURL: https://charts.example.com
                    chart: web
                    helm:
                      parameters:
                      - name: image.repository
                        value: ghcr.io/acme/web
                      - name: image.tag
                        value: "1.9"
                        forceString: true
                      valuesObject:
                        worker:
                          image:
                            repository: ghcr.io/acme/web
                            tag: "1.9"
                """);

        repo.apply(ImageUpdate.tag("ghcr.io/acme/web", "1.10"));

        String after = repo.read("app.yaml");
        assertThat(after).contains("      - name: image.tag\n        value: \"1.10\"\n")
                .contains("            tag: \"1.10\"\n")
                .contains("        value: ghcr.io/acme/web\n");
    }

    @Test
    void updatesAnApplicationSetTemplate() {
        repo.write("appset.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: ApplicationSet
                metadata: {name: stages}
                spec:
                  template:
                    metadata: {name: "app-{{stage}}"}
                    spec:
                      source:
                        path: stages/{{stage}}
                        kustomize:
                          images:
                          - public.ecr.aws/nginx/nginx=public.ecr.aws/nginx/nginx:1.24.0""");

        repo.apply(ImageUpdate.tag("public.ecr.aws/nginx/nginx", "1.25.0"));

        assertThat(repo.read("appset.yaml"))
                .endsWith("          - public.ecr.aws/nginx/nginx=public.ecr.aws/nginx/nginx:1.25.0");
    }
}
