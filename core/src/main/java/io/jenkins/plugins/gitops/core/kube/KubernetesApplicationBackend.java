package io.jenkins.plugins.gitops.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.argocd.ApplicationJson;
import io.jenkins.plugins.gitops.core.argocd.ApplicationNotFoundException;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.argocd.AuthenticationFailedException;
import io.jenkins.plugins.gitops.core.argocd.ConflictException;
import io.jenkins.plugins.gitops.core.argocd.InvalidRequestException;
import io.jenkins.plugins.gitops.core.argocd.OperationInProgressException;
import io.jenkins.plugins.gitops.core.argocd.PermissionDeniedException;
import io.jenkins.plugins.gitops.core.argocd.Refresh;
import io.jenkins.plugins.gitops.core.argocd.ServerUnavailableException;
import io.jenkins.plugins.gitops.core.argocd.SpecOverride;
import io.jenkins.plugins.gitops.core.argocd.SyncRequest;
import io.jenkins.plugins.gitops.core.argocd.WatchHandle;
import io.jenkins.plugins.gitops.core.argocd.WatchListener;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Drives Argo CD Applications through the Kubernetes API instead of the Argo CD API server (CONTRACT.md
 * section 8): for a Jenkins that runs in the cluster, or has a kubeconfig, but no Argo CD token.
 *
 * <ul>
 *   <li>sync = a JSON merge patch of {@code operation} carrying the {@code metadata.resourceVersion} that was read;
 *       there is no server-side guard, so an existing {@code .operation} is reported as
 *       {@link OperationInProgressException} before writing, and a conflict (409: someone wrote in between) is
 *       re-read and decided again;</li>
 *   <li>watch = a Kubernetes watch of the one Application; a dropped connection is resumed by the client from the
 *       last resourceVersion, an expired one (410 Gone) by reading the Application again;</li>
 *   <li>terminate = {@code status.operationState.phase: Terminating} (what the API server writes), or withdrawing a
 *       requested operation the controller has not started;</li>
 *   <li>refresh = the {@code argocd.argoproj.io/refresh} annotation; the stored state is returned at once;</li>
 *   <li>write-back = {@link #override}: a merge patch of the changed source only.</li>
 * </ul>
 * The fabric8 client is blocking, so each short call runs on the given executor (a small bounded pool); watches
 * hold no thread.
 */
public final class KubernetesApplicationBackend implements ApplicationBackend {

    /** Where Argo CD keeps its Applications unless configured otherwise. */
    public static final String DEFAULT_NAMESPACE = "argocd";
    /** Recorded as {@code operation.initiatedBy.username} unless configured otherwise. */
    public static final String DEFAULT_USERNAME = "jenkins";

    static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
            .withNamespaced(true).build();
    private static final String REFRESH_ANNOTATION = "argocd.argoproj.io/refresh";
    /** Writes lost to a concurrent writer (usually the controller) before giving up; each retry re-reads. */
    private static final int WRITE_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String namespace;
    private final String username;
    private final Executor executor;

    /**
     * @param client the Kubernetes client (not closed by this backend)
     * @param namespace where the Applications live when {@link ApplicationRef#namespace()} is null; null for
     *     {@value #DEFAULT_NAMESPACE}
     * @param username recorded as the operation's initiator; null for {@value #DEFAULT_USERNAME}
     * @param executor runs the blocking calls; a small bounded pool
     */
    public KubernetesApplicationBackend(KubernetesClient client, String namespace, String username, Executor executor) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
        this.username = username == null || username.isBlank() ? DEFAULT_USERNAME : username;
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public String describe() {
        return "Kubernetes API " + client.getMasterUrl() + " (Applications in namespace " + namespace + ")";
    }

    @Override
    public CompletableFuture<Application> get(ApplicationRef app, Refresh refresh) {
        return call(() -> ApplicationJson.parseAnswer(refresh == Refresh.NONE ? read(app) : requestRefresh(app, refresh),
                "reading Application " + where(app)));
    }

    @Override
    public CompletableFuture<Application> sync(ApplicationRef app, SyncRequest request) {
        return call(() -> ApplicationJson.parseAnswer(requestSync(app, request), "syncing Application " + where(app)));
    }

    @Override
    public WatchHandle watch(ApplicationRef app, String fromResourceVersion, WatchListener listener) {
        return ApplicationWatch.start(this, app, listener);
    }

    @Override
    public CompletableFuture<Void> terminate(ApplicationRef app) {
        return call(() -> {
            requestTermination(app);
            return null;
        });
    }

    /**
     * Writes a merge patch of only what changed, guarded by the resourceVersion that was read; reads again and retries
     * when another writer got in between.
     */
    @Override
    public CompletableFuture<Boolean> override(ApplicationRef app, SpecOverride override) {
        return call(() -> {
            for (int attempt = 1; ; attempt++) {
                ObjectNode current = read(app);
                ObjectNode spec = current.path("spec") instanceof ObjectNode s ? s : JsonNodeFactory.instance.objectNode();
                ObjectNode edited;
                try {
                    edited = override.applyTo(spec);
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException(0, null, "cannot override parameters of " + where(app) + ": "
                            + e.getMessage());
                }
                ObjectNode changes = MergePatch.diff(spec, edited);
                if (changes.isEmpty()) {
                    return false;
                }
                ObjectNode patch = guarded(current);
                patch.set("spec", changes);
                try {
                    patch(app, patch);
                    return true;
                } catch (ConflictException e) {
                    if (attempt == WRITE_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        });
    }

    ObjectNode read(ApplicationRef app) {
        GenericKubernetesResource resource;
        try {
            resource = resource(app).get();
        } catch (KubernetesClientException e) {
            throw translate(e, "read", app);
        }
        if (resource == null) {
            throw new ApplicationNotFoundException(404, null, "Application " + where(app) + " not found: check the name"
                    + " and the Argo CD namespace (--argocd-namespace, default " + DEFAULT_NAMESPACE + ")");
        }
        ObjectNode json = ApplicationJson.mapper().convertValue(resource, ObjectNode.class);
        if (app.project() != null && !app.project().equals(json.path("spec").path("project").asText())) {
            throw new ApplicationNotFoundException(404, null, "Application " + where(app) + " is not in project "
                    + app.project());
        }
        return json;
    }

    private ObjectNode requestRefresh(ApplicationRef app, Refresh refresh) {
        read(app); // for the project check and a clear "not found"
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("metadata").putObject("annotations")
                .put(REFRESH_ANNOTATION, refresh == Refresh.HARD ? "hard" : "normal");
        return patch(app, patch);
    }

    private ObjectNode requestSync(ApplicationRef app, SyncRequest request) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode current = read(app);
            JsonNode existing = current.path("operation");
            if (existing.isObject()) {
                throw new OperationInProgressException(409, null, "another operation is already in progress on "
                        + where(app) + initiator(existing));
            }
            ObjectNode patch = guarded(current);
            patch.set("operation", SyncOperationJson.of(request, username, current));
            try {
                return patch(app, patch);
            } catch (ConflictException e) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void requestTermination(ApplicationRef app) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode current = read(app);
            if (!current.path("operation").isObject()) {
                return;
            }
            String phase = current.path("status").path("operationState").path("phase").asText("");
            ObjectNode patch = guarded(current);
            switch (phase) {
                case "Terminating" -> {
                    return;
                }
                case "Running" -> patch.putObject("status").putObject("operationState").put("phase", "Terminating");
                // Requested but not started by the controller: withdraw the request.
                default -> patch.putNull("operation");
            }
            try {
                patch(app, patch);
                return;
            } catch (ConflictException e) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private ObjectNode patch(ApplicationRef app, ObjectNode patch) {
        try {
            GenericKubernetesResource result = resource(app)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
            return ApplicationJson.mapper().convertValue(result, ObjectNode.class);
        } catch (KubernetesClientException e) {
            throw translate(e, "patch", app);
        }
    }

    private static ObjectNode guarded(ObjectNode current) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("metadata").put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
        return patch;
    }

    NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            applications(ApplicationRef app) {
        return client.genericKubernetesResources(APPLICATIONS).inNamespace(namespaceOf(app));
    }

    private Resource<GenericKubernetesResource> resource(ApplicationRef app) {
        return applications(app).withName(app.name());
    }

    String namespaceOf(ApplicationRef app) {
        return app.namespace() != null ? app.namespace() : namespace;
    }

    String where(ApplicationRef app) {
        return namespaceOf(app) + "/" + app.name();
    }

    Executor executor() {
        return executor;
    }

    <T> CompletableFuture<T> call(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }

    /** Maps a Kubernetes API error to the backend's typed exceptions, with what to do about it. */
    ArgoCdException translate(KubernetesClientException e, String verb, ApplicationRef app) {
        int code = e.getCode();
        String server = e.getStatus() != null ? e.getStatus().getMessage() : null;
        String what = "cannot " + verb + " Application " + where(app) + " through the Kubernetes API";
        return switch (code) {
            case 401 -> new AuthenticationFailedException(code, server, what + ": the credentials were rejected"
                    + " (expired token or wrong kubeconfig)");
            case 403 -> new PermissionDeniedException(code, server, what + ": permission denied; the service account"
                    + " needs get, watch and patch on applications.argoproj.io in namespace " + namespaceOf(app)
                    + (server == null ? "" : " (" + server + ")"));
            case 404 -> new ApplicationNotFoundException(code, server, "Application " + where(app) + " not found");
            case 409 -> new ConflictException(code, server, what + ": it changed meanwhile");
            case 400, 422 -> new InvalidRequestException(code, server, what + ": the API server rejected the request"
                    + (server == null ? "" : ": " + server));
            default -> new ServerUnavailableException(code, server, what + (code == 0 ? ": " + e.getMessage()
                    : ": HTTP " + code + (server == null ? "" : ": " + server)), e);
        };
    }

    private static String initiator(JsonNode operation) {
        JsonNode by = operation.path("initiatedBy");
        if (by.path("automated").asBoolean(false)) {
            return " (automated sync)";
        }
        String user = by.path("username").asText("");
        return user.isEmpty() ? "" : " (started by " + user + ")";
    }
}
