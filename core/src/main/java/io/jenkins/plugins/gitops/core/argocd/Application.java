package io.jenkins.plugins.gitops.core.argocd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Argo CD Application as the API server serves it and as the custom resource stores it (both have the
 * same JSON shape). Only the fields the waiter and the write-back need are modelled; unknown fields are
 * ignored. Parse with {@link ApplicationJson#parse}.
 *
 * @param metadata name, namespace and resourceVersion
 * @param spec the desired state
 * @param status what the controller observed; never null after parsing (empty when absent)
 * @param operation the requested operation; non-null while an operation is requested or running
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Application(Metadata metadata, Spec spec, Status status, Operation operation) {

    public Application {
        metadata = Objects.requireNonNullElse(metadata, new Metadata(null, null, null));
        spec = Objects.requireNonNullElse(spec, new Spec(null, List.of(), null, null));
        status = Objects.requireNonNullElse(status, new Status(null, null, null, List.of(), null, null));
    }

    /** The application's name. */
    public String name() {
        return metadata.name();
    }

    /**
     * The name Argo CD knows the application by across namespaces, and so the {@code <name>} of the write-back file
     * {@code .argocd-source-<name>.yaml} its repo server reads: the plain name for an app in the control plane's
     * namespace, {@code <namespace>_<name>} for one in another namespace. This follows argo-cd v3.5.1
     * {@code Application.InstanceName} (pkg/apis/application/v1alpha1/types.go:4132), which the controller passes
     * as the app name to the repo server (controller/state.go:357), whose {@code mergeSourceParameters} reads that
     * file (reposerver/repository/repository.go:79 and 1866). The control plane's namespace is the one the
     * controller writes into {@code status.controllerNamespace} (controller/appcontroller.go:1984).
     *
     * @return empty when the Application cannot tell: it has a namespace, but the
     *     controller has not reconciled it yet, so its {@code status.controllerNamespace} is unset
     */
    public Optional<String> instanceName() {
        String namespace = metadata.namespace();
        String controllerNamespace = status.controllerNamespace();
        if (namespace == null || namespace.isEmpty()) {
            return Optional.ofNullable(name());
        }
        if (controllerNamespace == null || controllerNamespace.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(namespace.equals(controllerNamespace) ? name() : namespace + "_" + name());
    }

    /** {@code metadata}: identity and the version to resume a watch from. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metadata(String name, String namespace, String resourceVersion) {}

    /**
     * {@code spec}: the single {@code source}, or several {@code sources}.
     *
     * @param syncPolicy null when the app is synced manually only
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(Source source, List<Source> sources, String project, SyncPolicy syncPolicy) {
        public Spec {
            sources = sources == null ? List.of() : List.copyOf(sources);
        }

        /** The source(s) in declaration order: {@code [source]} or {@code sources}. */
        public List<Source> allSources() {
            return source != null ? List.of(source) : sources;
        }

        /** True when Argo CD syncs by itself ({@code syncPolicy.automated} present and not disabled). */
        public boolean autoSync() {
            return syncPolicy != null && syncPolicy.automated() != null
                    && !Boolean.FALSE.equals(syncPolicy.automated().enabled());
        }
    }

    /** {@code spec.syncPolicy}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SyncPolicy(Automated automated, List<String> syncOptions) {}

    /** {@code spec.syncPolicy.automated}; {@code enabled} is null on servers older than 3.0. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Automated(Boolean enabled, Boolean prune, Boolean selfHeal) {}

    /**
     * One application source.
     *
     * @param chart the chart's name when the source is a Helm or OCI chart repository, not git
     * @param ref the name other sources of a multi-source app use to reach this one's files ({@code $ref/...})
     * @param directory set when the source is declared a plain directory of manifests
     * @param plugin set when a config management plugin renders the source
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String repoURL, String path, String targetRevision, String chart, String ref,
                         Kustomize kustomize, Helm helm, Directory directory, Plugin plugin) {}

    /** {@code source.directory}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Directory(boolean recurse) {}

    /** {@code source.plugin}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Plugin(String name) {}

    /** {@code source.kustomize}: image overrides as {@code [old=]new[:tag][@digest]}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Kustomize(List<String> images) {
        public Kustomize {
            images = images == null ? List.of() : List.copyOf(images);
        }
    }

    /**
     * {@code source.helm}.
     *
     * @param valueFiles value files relative to the source's path, or {@code $ref/...} in another source's repository
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Helm(List<HelmParameter> parameters, List<String> valueFiles) {
        public Helm {
            parameters = parameters == null ? List.of() : List.copyOf(parameters);
            valueFiles = valueFiles == null ? List.of() : List.copyOf(valueFiles);
        }
    }

    /** One {@code --set name=value} of a Helm source. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HelmParameter(String name, String value, boolean forceString) {}

    /**
     * {@code status}.
     *
     * @param reconciledAt when the controller last compared live and desired state; null before the first time
     * @param controllerNamespace the namespace of the application controller (the control plane's), written by
     *     the controller at every reconcile; null before the first time
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(
            SyncStatus sync,
            Health health,
            OperationState operationState,
            List<ResourceStatus> resources,
            Instant reconciledAt,
            String controllerNamespace) {
        public Status {
            sync = Objects.requireNonNullElse(sync, new SyncStatus(SyncStatusCode.Unknown, null, List.of()));
            health = Objects.requireNonNullElse(health, new Health(HealthStatusCode.Unknown, null));
            resources = resources == null ? List.of() : List.copyOf(resources);
        }
    }

    /**
     * {@code status.sync}: how the live state compares with the source at {@code revision}.
     *
     * @param revision the commit compared to (single source)
     * @param revisions one commit per source (multi-source)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SyncStatus(SyncStatusCode status, String revision, List<String> revisions) {
        public SyncStatus {
            status = Objects.requireNonNullElse(status, SyncStatusCode.Unknown);
            revisions = revisions == null ? List.of() : List.copyOf(revisions);
        }
    }

    /** A health status and its message ({@code status.health}, or a resource's health). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Health(HealthStatusCode status, String message) {
        public Health {
            status = Objects.requireNonNullElse(status, HealthStatusCode.Unknown);
        }
    }

    /**
     * {@code status.operationState}: the current or last operation.
     *
     * @param operation the operation this state belongs to (its {@code info} identifies who started it)
     * @param finishedAt null while the operation runs
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OperationState(
            Operation operation,
            OperationPhase phase,
            String message,
            Instant startedAt,
            Instant finishedAt,
            Integer retryCount,
            SyncResult syncResult) {
        public OperationState {
            phase = Objects.requireNonNullElse(phase, OperationPhase.Unknown);
        }

        /** The revision this operation deployed or is deploying: the result's, else the request's. */
        public String revision() {
            if (syncResult != null && syncResult.revision() != null && !syncResult.revision().isEmpty()) {
                return syncResult.revision();
            }
            return operation == null || operation.sync() == null ? null : operation.sync().revision();
        }
    }

    /** {@code operationState.syncResult}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SyncResult(String revision, List<String> revisions, List<ResourceResult> resources) {
        public SyncResult {
            revisions = revisions == null ? List.of() : List.copyOf(revisions);
            resources = resources == null ? List.of() : List.copyOf(resources);
        }
    }

    /**
     * One resource of a sync operation's result.
     *
     * @param status Synced, SyncFailed, Pruned or PruneSkipped
     * @param hookPhase Running, Succeeded, Failed, Error, Terminating (also set for non-hook resources)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResourceResult(
            String group,
            String version,
            String kind,
            String namespace,
            String name,
            String status,
            String message,
            String hookType,
            String hookPhase,
            String syncPhase) {
        /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped resources. */
        public String displayName() {
            return ResourceStatus.display(kind, namespace, name);
        }
    }

    /** One entry of {@code status.resources}: a managed resource's sync and health state. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResourceStatus(
            String group, String version, String kind, String namespace, String name, String status, Health health) {
        /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped resources. */
        public String displayName() {
            return display(kind, namespace, name);
        }

        static String display(String kind, String namespace, String name) {
            return namespace == null || namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
        }
    }

    /**
     * {@code operation} (top level while requested or running; inside {@code operationState} afterwards).
     *
     * @param info free-form name/value pairs; the waiter marks its own operations with one
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Operation(SyncOperation sync, Initiator initiatedBy, List<Info> info) {
        public Operation {
            info = info == null ? List.of() : List.copyOf(info);
        }
    }

    /** {@code operation.sync}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SyncOperation(String revision, List<String> revisions, Boolean dryRun, Boolean prune) {}

    /** {@code operation.initiatedBy}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Initiator(String username, Boolean automated) {}

    /** A name/value pair of {@code operation.info} (and of a sync request's {@code infos}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Info(String name, String value) {}
}
