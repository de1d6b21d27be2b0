package io.jenkins.plugins.gitops.core.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.jenkins.plugins.gitops.core.testing.ServerSideFailures;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import io.jenkins.plugins.gitops.core.testing.argocd.ContractViolation;
import io.jenkins.plugins.gitops.core.testing.argocd.CrdSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A Kubernetes API for tests: fabric8's mock server in CRUD mode serving the real Argo CD Application CRD
 * ({@code ../shared/argocd/application-crd.yaml}). Without {@code ../shared} it serves a CRD that accepts any
 * Application and validates nothing (said once on stderr), so that the Kubernetes path is still tested; only the
 * tests of the validation itself ({@link #requireSchema()}) are skipped then.
 *
 * <p>On top of the mock it adds what the Kubernetes path needs to be tested honestly: every write to an
 * Application is validated against the CRD's schema ({@link CrdSchema}: unknown fields, wrong types, missing
 * required fields; a violation is answered 422 like an API server with strict field validation, where a default
 * one would silently drop an unknown field); merge patches follow RFC 7386 ({@link JsonMergePatch}); requests are
 * recorded; watches can be dropped or expired (HTTP 410 Gone). The mock itself answers a watch with the current objects as {@code ADDED} whatever
 * {@code resourceVersion} was asked for; code under test must cope with both that and the real server.
 */
public final class ApplicationCrServer implements AutoCloseable {

    private static final String CRD = "argocd/application-crd.yaml";

    public static final String NAMESPACE = "argocd";
    public static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
            .withNamespaced(true).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The mock server's mapper, set up by fabric8 as its clients' own (Kubernetes types, their modules). */
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(MAPPER, true);
    private static final Pattern APPLICATION_PATH =
            Pattern.compile("/apis/argoproj\\.io/v1alpha1/namespaces/[^/]+/applications(/[^/?]+)?(\\?.*)?");
    private static volatile Loaded loaded;

    private final KubernetesMockServer server;
    private final KubernetesClient admin;
    private final ValidatingDispatcher dispatcher;

    /** @param schema empty without ../shared: nothing is validated */
    private record Loaded(CustomResourceDefinition crd, Optional<CrdSchema> schema) {}

    /**
     * One request the server received on the Applications resource.
     *
     * @param authorization the scheme of the Authorization header ({@code Bearer}), never the credential; null when absent
     */
    public record Recorded(String method, String path, String body, String authorization) {}

    private ApplicationCrServer() {
        Loaded crd = loadCrd();
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        dispatcher = new ValidatingDispatcher(responses, crd.schema());
        server = new KubernetesMockServer(new Context(MAPPER), new MockWebServer(), responses,
                dispatcher, false);
        server.init();
        admin = server.createClient();
        admin.apiextensions().v1().customResourceDefinitions().resource(crd.crd()).create();
    }

    /** Starts a server with the Application CRD installed and no Applications. */
    public static ApplicationCrServer start() {
        return new ApplicationCrServer();
    }

    /** A new client for the code under test (the caller closes it). */
    public KubernetesClient newClient() {
        return server.createClient();
    }

    /** A kubeconfig that points at this server and authenticates with {@code token}. */
    public String kubeconfig(String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: jenkins
                    namespace: default
                current-context: mock
                users:
                - name: jenkins
                  user:
                    token: %s
                """.formatted(server.url("/").replaceAll("/$", ""), token);
    }

    /**
     * The example {@code app-synced-healthy.json} of the contract (a Kustomize app, Synced and Healthy at an
     * old commit, finished operation), renamed; the caller edits it before {@link #create}.
     */
    public static ObjectNode exampleApplication(String name) {
        Path file = SharedData.root().resolve("argocd/examples/app-synced-healthy.json");
        try {
            ObjectNode app = (ObjectNode) JSON.readTree(Files.exists(file) ? Files.readString(file) : BUILT_IN_EXAMPLE);
            ObjectNode metadata = (ObjectNode) app.get("metadata");
            metadata.put("name", name);
            metadata.put("namespace", NAMESPACE);
            metadata.remove(List.of("resourceVersion", "uid", "generation", "creationTimestamp", "finalizers"));
            app.put("apiVersion", "argoproj.io/v1alpha1");
            app.put("kind", "Application");
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Creates the Application (validated against the CRD) and returns it as stored. */
    public ObjectNode create(ObjectNode application) {
        GenericKubernetesResource resource = SERIALIZATION.convertValue(application, GenericKubernetesResource.class);
        return toJson(applications().resource(resource).create());
    }

    /** The Application as stored now. */
    public ObjectNode read(String name) {
        GenericKubernetesResource resource = applications().withName(name).get();
        if (resource == null) {
            throw new IllegalStateException("no Application " + name + " in namespace " + NAMESPACE);
        }
        return toJson(resource);
    }

    /**
     * Read-modify-write as a controller does: {@code edit} changes the object, which is written back with its
     * resourceVersion; on a conflict the edit is re-applied to a fresh copy (bounded).
     */
    public ObjectNode update(String name, Consumer<ObjectNode> edit) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode app = read(name);
            edit.accept(app);
            GenericKubernetesResource resource = SERIALIZATION.convertValue(app, GenericKubernetesResource.class);
            try {
                return toJson(applications().resource(resource).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** Closes every open watch from the server side, as an API server restart or a load balancer would. */
    public void dropWatches() {
        dispatcher.dropWatches();
    }

    /**
     * Watches of the single Application {@code name} that are open now (accepted, not yet closed); a recorded watch
     * request is not open until its WebSocket is accepted.
     */
    public long openWatchesOf(String name) {
        return dispatcher.openWatches.values().stream().filter(path -> path.contains("metadata.name%3D" + name)).count();
    }

    /**
     * The next {@code count} watch requests are answered with an ERROR event carrying 410 Gone; any not consumed when the
     * server closes fail the test.
     */
    public void expireNextWatches(int count) {
        dispatcher.gone.addAndGet(count);
    }

    /**
     * The next PATCH of Application {@code name} finds it changed by someone else first: {@code edit} is applied to the
     * stored object (a new resourceVersion) just before the PATCH is processed. This is the race between reading an
     * Application and patching it, made deterministic. An edit still pending when the server closes fails the test,
     * and so does one that throws (on the server's thread: see {@link ServerSideFailures}).
     */
    public void beforeNextPatch(String name, Consumer<ObjectNode> edit) {
        dispatcher.concurrentWrites.put("/apis/argoproj.io/v1alpha1/namespaces/" + NAMESPACE + "/applications/" + name, edit);
    }

    /** Reading Application {@code name} is answered 403 from now on, as for a service account without RBAC. */
    public void forbidReading(String name) {
        server.expect().get().withPath("/apis/argoproj.io/v1alpha1/namespaces/" + NAMESPACE + "/applications/" + name)
                .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                        .withMessage("applications.argoproj.io \"" + name + "\" is forbidden: User"
                                + " \"system:serviceaccount:jenkins:jenkins\" cannot get resource \"applications\" in API"
                                + " group \"argoproj.io\" in the namespace \"" + NAMESPACE + "\"").build())
                .always();
    }

    /** Requests received so far on the Applications resource, oldest first. */
    public List<Recorded> requests() {
        return List.copyOf(dispatcher.recorded);
    }

    /** Violations of the CRD schema the server has rejected so far. */
    public List<String> rejectedWrites() {
        return List.copyOf(dispatcher.rejected);
    }

    public String url() {
        return server.url("/");
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, Resource<GenericKubernetesResource>> applications() {
        return admin.genericKubernetesResources(APPLICATIONS).inNamespace(NAMESPACE);
    }

    static ObjectNode toJson(GenericKubernetesResource resource) {
        return SERIALIZATION.convertValue(resource, ObjectNode.class);
    }

    @Override
    /** Stops the server, then fails with what went wrong while it answered (a {@link #beforeNextPatch} edit too). */
    public void close() {
        admin.close();
        server.destroy();
        dispatcher.failures.rethrow();
        if (dispatcher.gone.get() > 0 || !dispatcher.concurrentWrites.isEmpty()) {
            throw new AssertionError("faults armed on the Kubernetes API server that never fired (the test did not test"
                    + " what it says): " + dispatcher.gone.get() + " watch(es) to expire, concurrent writes before the"
                    + " next PATCH of " + dispatcher.concurrentWrites.keySet());
        }
    }

    /** Skips the calling test when the real Application CRD, whose schema the server validates against, is absent. */
    public static void requireSchema() {
        SharedData.require(CRD);
    }

    private static Loaded loadCrd() {
        Loaded cached = loaded;
        if (cached != null) {
            return cached;
        }
        Path file = SharedData.root().resolve(CRD);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                CustomResourceDefinition crd = SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
                cached = new Loaded(crd, Optional.of(CrdSchema.requireApplication()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        } else {
            System.err.println("ApplicationCrServer: " + file + " is absent: serving Applications without schema"
                    + " validation (the real CRD is in the project-external reference data, ../shared)");
            cached = new Loaded(anyApplicationCrd(), Optional.empty());
        }
        loaded = cached;
        return cached;
    }

    /** The Application kind, namespaced, with a schema that keeps every field: what the mock needs to serve it. */
    private static CustomResourceDefinition anyApplicationCrd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("applications.argoproj.io").endMetadata()
                .withNewSpec()
                .withGroup("argoproj.io")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Application").withListKind("ApplicationList").withPlural("applications")
                .withSingular("application")
                .endNames()
                .addNewVersion()
                .withName("v1alpha1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema()
                .withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec()
                .build();
    }

    /**
     * Without ../shared: a Synced and Healthy Kustomize application at an old commit, its last operation finished,
     * with the resources and values the tests name.
     */
    private static final String BUILT_IN_EXAMPLE = """
            {
              "metadata": {"name": "guestbook", "namespace": "argocd"},
              "spec": {
                "source": {"repoURL": "https://github.com/example-org/gitops.git", "path": "apps/guestbook/overlays/prod",
                           "targetRevision": "main", "kustomize": {"images": ["ghcr.io/example-org/guestbook:1.4.3"]}},
                "destination": {"server": "https://kubernetes.default.svc", "namespace": "guestbook"},
                "project": "default",
                "syncPolicy": {"syncOptions": ["CreateNamespace=true"]}
              },
              "status": {
                "resources": [
                  {"version": "v1", "kind": "Service", "namespace": "guestbook", "name": "guestbook-ui",
                   "status": "Synced", "health": {"status": "Healthy"}},
                  {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "guestbook",
                   "name": "guestbook-ui", "status": "Synced", "health": {"status": "Healthy"}}
                ],
                "sync": {"status": "Synced", "revision": "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c"},
                "health": {"status": "Healthy"},
                "reconciledAt": "2026-08-20T14:04:20Z",
                "operationState": {
                  "operation": {"sync": {"revision": "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c"},
                                "initiatedBy": {"username": "jenkins"}},
                  "phase": "Succeeded",
                  "message": "successfully synced (all tasks run)",
                  "syncResult": {"revision": "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c"},
                  "startedAt": "2026-08-20T14:03:11Z",
                  "finishedAt": "2026-08-20T14:03:52Z"
                }
              }
            }
            """;

    /**
     * The mock's own CRUD dispatcher (plus its recorded expectations such as /version), behind schema
     * validation, request recording and watch faults.
     */
    private static final class ValidatingDispatcher extends Dispatcher {
        private final Map<ServerRequest, Queue<ServerResponse>> responses;
        private final MockDispatcher expectations;
        private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
        private final Optional<CrdSchema> schema;
        private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
        private final List<String> rejected = new CopyOnWriteArrayList<>();
        private final Map<WebSocket, String> openWatches = new ConcurrentHashMap<>();
        private final AtomicInteger gone = new AtomicInteger();
        private final Map<String, Consumer<ObjectNode>> concurrentWrites = new ConcurrentHashMap<>();

        ValidatingDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, Optional<CrdSchema> schema) {
            this.responses = responses;
            this.expectations = new MockDispatcher(responses);
            this.schema = schema;
        }

        private final ServerSideFailures failures = new ServerSideFailures("the Kubernetes API server");

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            try {
                return answer(request);
            } catch (RuntimeException | Error e) {
                failures.record(request.getMethod() + " " + request.getPath(), e);
                throw e;
            }
        }

        private MockResponse answer(RecordedRequest request) {
            Queue<ServerResponse> expected = responses.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
            if (expected != null && !expected.isEmpty()) {
                return expectations.dispatch(request);
            }
            if (!APPLICATION_PATH.matcher(request.getPath()).matches()) {
                return crud.dispatch(request);
            }
            // getBytes, not getUtf8Body: reading would consume the body the CRUD dispatcher reads next
            String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
            recorded.add(new Recorded(request.getMethod(), request.getPath(), body, scheme(request)));
            if (request.getMethod().equals("PATCH")) {
                writeConcurrently(request.getPath());
            }
            if (request.getPath().contains("watch=true")) {
                return watch(request);
            }
            try {
                return switch (request.getMethod()) {
                    case "POST", "PUT" -> validated(JSON.readTree(body), () -> crud.dispatch(request));
                    case "PATCH" -> mergePatch(request, body);
                    default -> crud.dispatch(request);
                };
            } catch (IOException e) {
                return status(400, "the request body is not JSON: " + e.getMessage());
            }
        }

        /**
         * Applies a merge patch the way the API server does (see {@link JsonMergePatch}) and stores the result
         * through the mock's update, which checks the resourceVersion when the patch carries one.
         */
        private synchronized MockResponse mergePatch(RecordedRequest request, String body) throws IOException {
            String type = String.valueOf(request.getHeader("Content-Type"));
            if (!type.startsWith("application/merge-patch+json")) {
                return status(415, "this fake accepts JSON merge patches on Applications only, got " + type);
            }
            String plain = request.getPath().replaceFirst("\\?.*", "");
            MockResponse stored = crud.handleGet(plain);
            if (stored.code() != 200) {
                return stored;
            }
            JsonNode patch = JSON.readTree(body);
            ObjectNode merged = (ObjectNode) JsonMergePatch.apply(JSON.readTree(stored.getBody().readUtf8()), patch);
            if (patch.path("metadata").path("resourceVersion").isMissingNode()) {
                ((ObjectNode) merged.get("metadata")).remove("resourceVersion");
            }
            return validated(merged, () -> crud.handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, plain,
                    new Headers.Builder().add("Content-Type", "application/json").build(),
                    new Buffer().writeUtf8(merged.toString()))));
        }

        private MockResponse validated(JsonNode object, java.util.function.Supplier<MockResponse> store) {
            List<String> violations = schema.map(crd -> crd.validate(object)).orElse(List.of()).stream()
                    .map(ContractViolation::toString)
                    .toList();
            if (!violations.isEmpty()) {
                rejected.addAll(violations);
                return status(422, "Application.argoproj.io is invalid: " + String.join("; ", violations));
            }
            return store.get();
        }

        private MockResponse watch(RecordedRequest request) {
            if (gone.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket, Response response) {
                        webSocket.send(SERIALIZATION.asJson(Map.of("type", "ERROR", "object",
                                new StatusBuilder().withStatus("Failure").withCode(410).withReason("Expired")
                                        .withMessage("too old resource version").build())));
                        webSocket.close(1000, "");
                    }
                });
            }
            MockResponse response = crud.dispatch(request);
            WebSocketListener events = response.getWebSocketListener();
            if (events == null) {
                return response;
            }
            return response.withWebSocketUpgrade(new WebSocketListener() {
                @Override
                public void onOpen(WebSocket webSocket, Response r) {
                    openWatches.put(webSocket, request.getPath());
                    events.onOpen(webSocket, r);
                }

                @Override
                public void onMessage(WebSocket webSocket, String text) {
                    events.onMessage(webSocket, text);
                }

                @Override
                public void onClosing(WebSocket webSocket, int code, String reason) {
                    openWatches.remove(webSocket);
                    events.onClosing(webSocket, code, reason);
                }

                @Override
                public void onClosed(WebSocket webSocket, int code, String reason) {
                    openWatches.remove(webSocket);
                    events.onClosed(webSocket, code, reason);
                }

                @Override
                public void onFailure(WebSocket webSocket, Throwable error, Response r) {
                    openWatches.remove(webSocket);
                    events.onFailure(webSocket, error, r);
                }
            });
        }

        private void writeConcurrently(String path) {
            String plain = path.replaceFirst("\\?.*", "");
            Consumer<ObjectNode> edit = concurrentWrites.remove(plain);
            if (edit == null) {
                return;
            }
            try {
                ObjectNode stored = (ObjectNode) JSON.readTree(crud.handleGet(plain).getBody().readUtf8());
                edit.accept(stored);
                ((ObjectNode) stored.get("metadata")).remove("resourceVersion");
                MockResponse written = crud.handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, plain,
                        new Headers.Builder().add("Content-Type", "application/json").build(),
                        new Buffer().writeUtf8(stored.toString())));
                if (written.code() >= 300) {
                    throw new IllegalStateException("concurrent write failed: HTTP " + written.code());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String scheme(RecordedRequest request) {
            String authorization = request.getHeader("Authorization");
            return authorization == null ? null : authorization.split(" ", 2)[0];
        }

        void dropWatches() {
            for (Iterator<WebSocket> it = openWatches.keySet().iterator(); it.hasNext(); ) {
                WebSocket socket = it.next();
                it.remove();
                socket.close(1001, "going away");
            }
        }

        private static MockResponse status(int code, String message) {
            return new MockResponse().setResponseCode(code).setBody(SERIALIZATION.asJson(new StatusBuilder()
                    .withStatus("Failure").withCode(code).withReason("Invalid").withMessage(message).build()));
        }

        @Override
        public void shutdown() {
            crud.shutdown();
        }
    }
}
