package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.manifest.EditReport.Outcome;
import org.junit.jupiter.api.Test;

class WorkloadEditTest extends ConfigRepoTestCase {

    private static final String OLD_SHA = "sha256:" + "01".repeat(32);
    private static final String NEW_SHA = "sha256:" + "fe".repeat(32);

    @Test
    void updatesContainersAndInitContainersAcrossDocuments() {
        repo.write("deploy.yaml", """
                # header
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                spec:
                  template:
                    spec:
                      initContainers:
                      - name: migrate
                        image: ghcr.io/acme/api:1.0   # same image
                      containers:
                      - name: api
                        image: ghcr.io/acme/api:1.0
                      - name: sidecar
                        image: envoyproxy/envoy:v1.30.0
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: api   # ghcr.io/acme/api:1.0 in a comment stays
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: db
                spec:
                  template:
                    spec:
                      containers:
                        - name: api
                          image: "ghcr.io/acme/api:1.0"
                """);

        EditReport report = repo.apply(ImageUpdate.tag("ghcr.io/acme/api", "1.1"));

        assertThat(report.changes()).extracting(Change::line, Change::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(12, "spec.template.spec.initContainers[name=migrate].image"),
                org.assertj.core.groups.Tuple.tuple(15, "spec.template.spec.containers[name=api].image"),
                org.assertj.core.groups.Tuple.tuple(33, "spec.template.spec.containers[name=api].image"));
        String after = repo.read("deploy.yaml");
        assertThat(after).contains("    image: ghcr.io/acme/api:1.1   # same image\n")
                .contains("        image: ghcr.io/acme/api:1.1\n")
                .contains("name: api   # ghcr.io/acme/api:1.0 in a comment stays")
                .contains("image: \"ghcr.io/acme/api:1.1\"")
                .contains("envoyproxy/envoy:v1.30.0");
    }

    @Test
    void updatesCronJobAndPodEphemeralContainers() {
        repo.write("cron.yaml", """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: warm}
                spec:
                  schedule: "*/5 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          containers:
                          - name: curl
                            image: curlimages/curl:8.0.0
                """);
        repo.write("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: debug}
                spec:
                  containers: [{name: app, image: "busybox:1.36"}]
                  ephemeralContainers:
                  - name: dbg
                    image: curlimages/curl:8.0.0
                """);

        repo.apply(ImageUpdate.tag("curlimages/curl", "8.1.0"));

        assertThat(repo.read("cron.yaml")).contains("image: curlimages/curl:8.1.0\n");
        assertThat(repo.read("pod.yaml")).contains("    image: curlimages/curl:8.1.0\n");
    }

    @Test
    void updatesAFlowStyleContainerList() {
        repo.write("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: one}
                spec:
                  containers: [{name: app, image: "busybox:1.36"}, {name: b, image: 'busybox'}]
                """);

        repo.apply(ImageUpdate.tag("busybox", "1.37"));

        assertThat(repo.read("pod.yaml")).contains(
                "  containers: [{name: app, image: \"busybox:1.37\"}, {name: b, image: 'busybox:1.37'}]\n");
    }

    @Test
    void aNewTagDropsAPinnedDigestAndANewDigestDropsTheTag() {
        repo.write("ds.yaml", """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: ctrl}
                spec:
                  template:
                    spec:
                      containers:
                      - name: controller
                        image: registry.k8s.io/ingress-nginx/controller:v1.15.1@%s
                """.formatted(OLD_SHA));

        repo.apply(ImageUpdate.tag("registry.k8s.io/ingress-nginx/controller", "v1.15.2"));
        assertThat(repo.read("ds.yaml")).contains("image: registry.k8s.io/ingress-nginx/controller:v1.15.2\n");

        repo.apply(new ImageUpdate("registry.k8s.io/ingress-nginx/controller", null, null, NEW_SHA));
        assertThat(repo.read("ds.yaml")).contains("image: registry.k8s.io/ingress-nginx/controller@" + NEW_SHA + "\n");

        repo.apply(new ImageUpdate("registry.k8s.io/ingress-nginx/controller", null, "v1.16.0", OLD_SHA));
        assertThat(repo.read("ds.yaml")).contains("image: registry.k8s.io/ingress-nginx/controller:v1.16.0@" + OLD_SHA + "\n");
    }

    @Test
    void renamesTheImageKeepingItsTag() {
        repo.write("job.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate}
                spec:
                  template:
                    spec:
                      containers:
                      - name: m
                        image: acme/migrate:3
                """);

        repo.apply(new ImageUpdate("acme/migrate", "ghcr.io/acme/migrate", null, null));

        assertThat(repo.read("job.yaml")).contains("image: ghcr.io/acme/migrate:3\n");
    }

    @Test
    void leavesImagesOfOtherKindsAlone() {
        String prometheus = """
                apiVersion: monitoring.coreos.com/v1
                kind: Prometheus
                metadata: {name: k8s}
                spec:
                  image: quay.io/prometheus/prometheus:v2.37.0
                """;
        repo.write("prometheus.yaml", prometheus);

        EditReport report = repo.apply(ImageUpdate.tag("quay.io/prometheus/prometheus", "v2.38.0"));

        assertThat(report.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(repo.read("prometheus.yaml")).isEqualTo(prometheus);
    }
}
