package io.jenkins.plugins.gitops.core.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a synthetic GitOps config repository shaped like a real monorepo: services deployed to five
 * environments, each app directory holding a kustomization, a Deployment, a Service, Helm values and the
 * Image Updater write-back file. Deterministic, so every run benchmarks the same bytes.
 *
 * <p>The {@link #TARGET_IMAGE} service runs in every environment and appears in four files of each app
 * (kustomization {@code images:}, Deployment, Helm values, {@code .argocd-source-<app>.yaml}). A
 * near-miss service, {@code payments-api-worker}, shares its name as a prefix so that matching by
 * substring would be caught by the sanity check.
 */
final class ConfigRepoGenerator {

    static final String TARGET_IMAGE = "ghcr.io/example-org/payments-api";
    static final String OLD_TAG = "1.4.2";
    static final String[] ENVIRONMENTS = {"dev", "test", "staging", "prod-eu", "prod-us"};
    static final String TARGET_SERVICE = "payments-api";
    static final String NEAR_MISS_SERVICE = "payments-api-worker";

    private static final String ORG = "ghcr.io/example-org/";
    private static final String[] WORDS = {
        "billing", "catalog", "checkout", "search", "ledger", "shipping", "inventory", "profile", "notify",
        "pricing", "reviews", "gateway", "auth", "reports", "media", "orders", "cart", "fraud", "loyalty", "tax"
    };

    private final int apps;

    ConfigRepoGenerator(int apps) {
        if (apps < 2 * ENVIRONMENTS.length || apps % ENVIRONMENTS.length != 0) {
            throw new IllegalArgumentException("--apps must be a multiple of " + ENVIRONMENTS.length
                    + " and at least " + 2 * ENVIRONMENTS.length + ", got " + apps);
        }
        this.apps = apps;
    }

    /** Number of files that mention the target image: four per environment. */
    static int targetFileCount() {
        return 4 * ENVIRONMENTS.length;
    }

    int fileCount() {
        return apps * 5;
    }

    void writeTo(Path root) throws IOException {
        int services = apps / ENVIRONMENTS.length;
        for (int s = 0; s < services; s++) {
            String service = serviceName(s);
            for (int e = 0; e < ENVIRONMENTS.length; e++) {
                writeApp(root, service, s, ENVIRONMENTS[e], e);
            }
        }
    }

    private static String serviceName(int index) {
        if (index == 0) {
            return TARGET_SERVICE;
        }
        if (index == 1) {
            return NEAR_MISS_SERVICE;
        }
        return WORDS[index % WORDS.length] + "-" + WORDS[(index / WORDS.length) % WORDS.length] + "-" + index;
    }

    private static String tagOf(int service, int env) {
        return service == 0 ? OLD_TAG : (1 + service % 3) + "." + (service % 17) + "." + (env + service % 5);
    }

    private static void writeApp(Path root, String service, int s, String env, int e) throws IOException {
        String app = service + "-" + env;
        Path dir = root.resolve("apps").resolve(env).resolve(service);
        Files.createDirectories(dir);
        String image = ORG + service;
        String tag = tagOf(s, e);
        int replicas = env.startsWith("prod") ? 3 + s % 4 : 1;
        write(dir.resolve("kustomization.yaml"), kustomization(service, env, image, tag));
        write(dir.resolve("deployment.yaml"), deployment(service, env, image, tag, replicas, s));
        write(dir.resolve("service.yaml"), service(service, env));
        write(dir.resolve("values.yaml"), helmValues(service, env, image, tag, replicas, s + e));
        write(dir.resolve(".argocd-source-" + app + ".yaml"), argocdSource(image, tag, s));
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String kustomization(String service, String env, String image, String tag) {
        return """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization

                # %1$s in %2$s: rendered by Argo CD from this overlay
                namespace: %1$s-%2$s
                resources:
                  - deployment.yaml
                  - service.yaml

                labels:
                  - pairs:
                      app.kubernetes.io/part-of: %1$s
                      environment: %2$s
                    includeSelectors: false

                # Container image versions; CI bumps newTag on every release
                images:
                  - name: %3$s
                    newTag: %4$s
                """.formatted(service, env, image, tag);
    }

    private static String deployment(String service, String env, String image, String tag, int replicas, int s) {
        return """
                # Source of truth for %1$s in %2$s. Managed by GitOps: edit through pull requests.
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  labels:
                    app.kubernetes.io/name: %1$s
                    app.kubernetes.io/component: api
                  annotations:
                    deployment.kubernetes.io/revision: "%6$d"
                spec:
                  replicas: %5$d
                  revisionHistoryLimit: 5
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: %1$s
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 25%%
                      maxUnavailable: 0
                  template:
                    metadata:
                      labels:
                        app.kubernetes.io/name: %1$s
                      annotations:
                        prometheus.io/scrape: "true"
                        prometheus.io/port: "9090"
                    spec:
                      serviceAccountName: %1$s
                      securityContext:
                        runAsNonRoot: true
                        fsGroup: 2000
                      initContainers:
                        - name: migrate
                          image: docker.io/library/busybox:1.36.1
                          command: ["sh", "-c", "echo waiting for schema; sleep 1"]
                      containers:
                        - name: app
                          image: %3$s:%4$s # bumped by CI
                          imagePullPolicy: IfNotPresent
                          args: ["--port=8080", "--log-level=info"]
                          ports:
                            - name: http
                              containerPort: 8080
                            - name: metrics
                              containerPort: 9090
                          env:
                            - name: ENVIRONMENT
                              value: %2$s
                            - name: JAVA_TOOL_OPTIONS
                              value: "-XX:MaxRAMPercentage=75"
                          resources:
                            requests:
                              cpu: 100m
                              memory: 256Mi
                            limits:
                              memory: 512Mi
                          readinessProbe:
                            httpGet:
                              path: /healthz/ready
                              port: http
                            periodSeconds: 10
                          livenessProbe:
                            httpGet:
                              path: /healthz/live
                              port: http
                            initialDelaySeconds: 20
                        - name: envoy
                          image: docker.io/envoyproxy/envoy:v1.29.1
                          args: ["-c", "/etc/envoy/envoy.yaml"]
                          ports:
                            - name: proxy
                              containerPort: 15001
                """.formatted(service, env, image, tag, replicas, 1 + s % 40);
    }

    private static String service(String service, String env) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s
                  labels:
                    app.kubernetes.io/name: %1$s
                    environment: %2$s
                spec:
                  type: ClusterIP
                  selector:
                    app.kubernetes.io/name: %1$s
                  ports:
                    - name: http
                      port: 80
                      targetPort: http # the container's named port
                    - name: metrics
                      port: 9090
                      targetPort: metrics
                """.formatted(service, env);
    }

    /** Alternates the two common Helm shapes by {@code shape}: repository/tag split and the one-string image. */
    private static String helmValues(String service, String env, String image, String tag, int replicas, int shape) {
        String imageBlock = shape % 2 == 0
                ? """
                image:
                  # The registry is part of the repository so the chart needs no global.imageRegistry
                  repository: %s
                  tag: "%s"
                  pullPolicy: IfNotPresent
                """.formatted(image, tag)
                : """
                # One string: repository and tag
                image: %s:%s
                imagePullPolicy: IfNotPresent
                """.formatted(image, tag);
        return """
                # Default values for %1$s (%2$s).
                # This is a YAML-formatted file.

                replicaCount: %3$d

                %4$s
                nameOverride: ""
                fullnameOverride: %1$s

                serviceAccount:
                  create: true
                  annotations: {}

                podAnnotations:
                  prometheus.io/scrape: "true"

                service:
                  type: ClusterIP
                  port: 80

                ingress:
                  enabled: %5$s
                  className: nginx
                  hosts:
                    - host: %1$s.%2$s.example.org
                      paths:
                        - path: /
                          pathType: Prefix

                resources:
                  requests:
                    cpu: 100m
                    memory: 256Mi

                autoscaling:
                  enabled: false
                  minReplicas: 1
                  maxReplicas: 10
                  targetCPUUtilizationPercentage: 80

                metrics:
                  image:
                    repository: quay.io/prometheus/statsd-exporter
                    tag: v0.26.0
                """.formatted(service, env, replicas, imageBlock.stripTrailing(), env.startsWith("prod"));
    }

    private static String argocdSource(String image, String tag, int s) {
        String extra = s % 3 == 0 ? "" : "  - docker.io/envoyproxy/envoy:v1.29.1\n";
        return """
                kustomize:
                  images:
                  - %s:%s
                %s""".formatted(image, tag, extra);
    }
}
