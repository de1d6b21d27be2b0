package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.gitops.core.testing.ServerSideFailures;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.lib.Repository;

/**
 * An in-process Argo CD API server (v3.5.1 behaviour, {@code ../shared/argocd/CONTRACT.md}) on
 * {@code 127.0.0.1} and a random port, with a simulated application controller. Every request body it
 * receives and every response it serves is validated against {@code swagger.json}; violations fail the
 * test when the fake is closed (or at {@link #assertNoContractViolations()}).
 *
 * <pre>{@code
 * try (FakeArgoCd argo = FakeArgoCd.builder().gitRepository(bareRepo).start()) {
 *     FakeApplication app = argo.createApp("guestbook").targetRevision("main");
 *     String token = argo.issueToken(FakeArgoCd.USERNAME);
 *     // point the client at argo.url() ...
 * }
 * }</pre>
 */
public final class FakeArgoCd implements AutoCloseable {

    /** The local user that exists from the start, with {@link #PASSWORD}. */
    public static final String USERNAME = "jenkins";
    public static final String PASSWORD = "jenkins-password";
    /** The namespace apps are in unless {@code appNamespace} says otherwise. */
    public static final String CONTROLLER_NAMESPACE = "argocd";
    /** The {@code spec.source.repoURL} of created apps unless given. */
    public static final String DEFAULT_REPO_URL = "https://git.example.org/gitops.git";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String STREAM_PATH = "/api/v1/stream/applications";
    private static final AtomicBoolean ABSENT_SWAGGER_REPORTED = new AtomicBoolean();

    static {
        // Go's net/http (the real server) sets TCP_NODELAY; without it Nagle delays small stream chunks ~40 ms.
        // The JDK server reads this once, so it only helps when no JDK HttpServer ran earlier in the JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Object lock = new Object();
    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ControllerSimulation controller;
    private final Sessions sessions;
    private final RevisionResolver revisions;
    private final Faults faults = new Faults();
    private final Duration stepDelay;
    private final Duration refreshDeadline;
    private final Optional<SwaggerContract> contract;
    private final Optional<CrdSchema> crd;
    private final SelfSignedCertificate certificate;
    private final AtomicLong resourceVersion = new AtomicLong(184_500);
    private final AtomicLong validatedBodies = new AtomicLong();
    private final Map<String, FakeApplication> apps = new LinkedHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<ContractViolation> violations = new CopyOnWriteArrayList<>();
    private final WatchStreams streams;
    private volatile boolean violationsExpected;
    private final ServerSideFailures failures = new ServerSideFailures("the fake Argo CD");
    private volatile boolean closed;

    /** Options of a fake; {@link #start()} starts it. */
    public static final class Builder {
        private RevisionResolver revisions = RevisionResolver.ofTable();
        private Duration stepDelay = Duration.ofMillis(5);
        private Duration keepAliveInterval = Duration.ofSeconds(15);
        private Duration refreshDeadline = Duration.ofSeconds(60);
        private Duration tokenLifetime = Duration.ofHours(24);
        private boolean paused;
        private boolean validate = true;
        private boolean https;
        private int httpThreads = 4;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Resolve revisions from this git directory (bare repo or {@code .git}), re-read on every call. */
        public Builder gitRepository(Path gitDir) {
            this.revisions = RevisionResolver.ofGitDir(gitDir);
            return this;
        }

        /** Resolve revisions from this open JGit repository (the caller closes it). */
        public Builder gitRepository(Repository repository) {
            this.revisions = RevisionResolver.ofRepository(repository);
            return this;
        }

        /** Real delay between two controller steps (default 5 ms). */
        public Builder stepDelay(Duration delay) {
            this.stepDelay = delay;
            return this;
        }

        /** Controller steps wait for {@link ControllerSimulation#step()} from the start. */
        public Builder pausedController() {
            this.paused = true;
            return this;
        }

        /** Interval of {@code :} keepalives on {@code text/event-stream} watches (default 15 s as upstream). */
        public Builder keepAliveInterval(Duration interval) {
            this.keepAliveInterval = interval;
            return this;
        }

        /** Lifetime of issued tokens (default 24 h). */
        /**
         * How long a {@code GET ?refresh=} waits for the controller before it fails with 500
         * {@code application refresh deadline exceeded}, as the real server does when its request context
         * ends first (default 60 s).
         */
        public Builder refreshDeadline(Duration deadline) {
            this.refreshDeadline = deadline;
            return this;
        }

        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = lifetime;
            return this;
        }

        /** Clock of token expiry and of timestamps (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Skip swagger validation (for tests that deliberately send bodies outside the contract). */
        public Builder withoutContractValidation() {
            this.validate = false;
            return this;
        }

        /** Threads answering requests (default 4); they never wait for the controller or on a stream. */
        public Builder httpThreads(int threads) {
            this.httpThreads = threads;
            return this;
        }

        /** Serve HTTPS with a self-signed certificate for 127.0.0.1 ({@link #certificatePem()}). */
        public Builder https() {
            this.https = true;
            return this;
        }

        public FakeArgoCd start() {
            return new FakeArgoCd(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fake with default options and no git repository (revisions come from {@link #setRevision}). */
    public static FakeArgoCd start() {
        return builder().start();
    }

    private FakeArgoCd(Builder options) {
        this.stepDelay = options.stepDelay;
        this.refreshDeadline = options.refreshDeadline;
        this.revisions = options.revisions;
        this.sessions = new Sessions(options.clock);
        this.sessions.addUser(USERNAME, PASSWORD);
        this.sessions.lifetime(options.tokenLifetime);
        this.controller = new ControllerSimulation(options.clock, options.paused,
                failure -> failures.record("running a controller step", failure));
        this.contract = options.validate ? SwaggerContract.shared() : Optional.empty();
        this.crd = options.validate ? CrdSchema.sharedApplication() : Optional.empty();
        if (options.validate && contract.isEmpty() && ABSENT_SWAGGER_REPORTED.compareAndSet(false, true)) {
            System.err.println("fake Argo CD: " + SharedData.root() + "/" + SwaggerContract.SHARED_PATH
                    + " is absent; requests and responses are not validated against swagger.json");
        }
        this.streams = new WatchStreams(options.keepAliveInterval, line -> checkResponse("GET", STREAM_PATH, 200, line));
        // A small fixed pool: no handler blocks (streams and refreshes are answered from the stream thread),
        // so the fake adds a handful of threads to a JVM whatever the number of concurrent watches.
        this.httpThreads = Executors.newFixedThreadPool(options.httpThreads, daemonThreads("fake-argocd-http"));
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (options.https) {
                certificate = SelfSignedCertificate.forLoopback();
                HttpsServer https = HttpsServer.create(address, 1024);
                https.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
                server = https;
            } else {
                certificate = null;
                server = HttpServer.create(address, 1024);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Argo CD on 127.0.0.1", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(httpThreads);
        server.start();
    }

    // ---------------------------------------------------------------- test API

    /** Base URL, e.g. {@code http://127.0.0.1:43121} (no trailing slash). */
    public String url() {
        return (certificate != null ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create(url());
    }

    /** PEM of the self-signed certificate when started with {@link Builder#https()}. */
    public String certificatePem() {
        if (certificate == null) {
            throw new IllegalStateException("the fake Argo CD serves plain HTTP; build it with https()");
        }
        return certificate.pem();
    }

    /**
     * Creates an app in the controller namespace, Synced and Healthy at its target revision ({@code main}),
     * repo {@link #DEFAULT_REPO_URL}, destination namespace = its name, resources Service and Deployment
     * {@code <name>-ui}.
     */
    public FakeApplication createApp(String name) {
        return createApp(CONTROLLER_NAMESPACE, name, DEFAULT_REPO_URL, "main");
    }

    public FakeApplication createApp(String namespace, String name, String repoURL, String targetRevision) {
        synchronized (lock) {
            String key = namespace + "/" + name;
            if (apps.containsKey(key)) {
                throw new IllegalArgumentException("the fake Argo CD already has an app " + key);
            }
            FakeApplication app = new FakeApplication(this, namespace, name, repoURL, targetRevision);
            checkStored(app.json());
            apps.put(key, app);
            publish("ADDED", app, app.json());
            return app;
        }
    }

    /** The app created with this name in the controller namespace. */
    public FakeApplication app(String name) {
        synchronized (lock) {
            FakeApplication app = apps.get(CONTROLLER_NAMESPACE + "/" + name);
            if (app == null) {
                throw new IllegalArgumentException("the fake Argo CD has no app " + name);
            }
            return app;
        }
    }

    /** Adds a local user for {@code POST /api/v1/session}. */
    public FakeArgoCd addUser(String username, String password) {
        sessions.addUser(username, password);
        return this;
    }

    /** A valid bearer token for the local user {@code username} (what a session login would give). */
    public String issueToken(String username) {
        return sessions.issue(username, username);
    }

    /** A project role token ({@code argocd proj role create-token}); the server records user {@code proj:<p>:<r>}. */
    public String issueProjectToken(String project, String role) {
        String subject = "proj:" + project + ":" + role;
        return sessions.issue(subject, subject);
    }

    /** An account token ({@code argocd account generate-token}): subject {@code <name>:apiKey}. */
    public String issueAccountToken(String account) {
        return sessions.issue(account, account + ":apiKey");
    }

    /** Makes a token expired: requests with it get 401 {@code invalid session: token is expired}. */
    public void expireToken(String token) {
        sessions.expire(token);
    }

    public void expireAllTokens() {
        sessions.expireAll();
    }

    /** Without a git repository: makes {@code name} (a branch or tag) resolve to {@code sha}. */
    public FakeArgoCd setRevision(String name, String sha) {
        revisions.set(name, sha);
        return this;
    }

    public Faults faults() {
        return faults;
    }

    public ControllerSimulation controller() {
        return controller;
    }

    /** Every request received so far, in order (credentials redacted). */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests with this method whose path equals {@code path}. */
    public List<RecordedRequest> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    /** Contract violations seen so far (request bodies, responses, Application states). */
    public List<ContractViolation> contractViolations() {
        return List.copyOf(violations);
    }

    /** Fails with every violation when there is any. */
    public void assertNoContractViolations() {
        if (!violations.isEmpty()) {
            StringBuilder message = new StringBuilder("the fake Argo CD saw ").append(violations.size())
                    .append(" contract violation(s):");
            violations.forEach(v -> message.append("\n  ").append(v));
            throw new AssertionError(message);
        }
    }

    /** {@link #close()} will not fail on violations (for tests that provoke them on purpose). */
    public void expectContractViolations() {
        violationsExpected = true;
    }

    /** How many request and response bodies (stream events included) were checked against swagger.json. */
    public long validatedBodies() {
        return validatedBodies.get();
    }

    /** Whether bodies are checked against swagger.json (false when ../shared is absent). */
    public boolean validatesContract() {
        return contract.isPresent();
    }

    /** Stops the server and the controller, then fails if one of its threads failed or contract violations were seen. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        controller.shutdown();
        streams.closeAll();
        server.stop(0);
        httpThreads.shutdownNow();
        failures.rethrow();
        List<String> unfired = faults.pending();
        if (!unfired.isEmpty()) {
            throw new AssertionError("faults armed on the fake Argo CD that never fired (the test did not test what it"
                    + " says, or it must clear them): " + unfired);
        }
        if (!violationsExpected) {
            assertNoContractViolations();
        }
    }

    /** Threads of the fake are named {@code fake-argocd-*} and never keep a JVM alive. */
    static ThreadFactory daemonThreads(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---------------------------------------------------------------- for FakeApplication

    Object lock() {
        return lock;
    }

    Duration stepDelay() {
        return stepDelay;
    }

    RevisionResolver revisions() {
        return revisions;
    }

    long nextResourceVersion() {
        return resourceVersion.incrementAndGet();
    }

    /** Every state an app takes must also be a valid Application custom resource. */
    void checkStored(ObjectNode app) {
        crd.ifPresent(schema -> violations.addAll(schema.validate(app)));
    }

    void changed(FakeApplication app, ObjectNode snapshot) {
        publish("MODIFIED", app, snapshot);
    }

    void removed(FakeApplication app, ObjectNode snapshot) {
        apps.values().remove(app);
        snapshot.withObjectProperty("metadata").put("resourceVersion", Long.toString(nextResourceVersion()));
        publish("DELETED", app, snapshot);
    }

    private void publish(String type, FakeApplication app, ObjectNode snapshot) {
        streams.publish(event(type, app, snapshot));
    }

    private static WatchStreams.Event event(String type, FakeApplication app, ObjectNode snapshot) {
        return new WatchStreams.Event(type, app.namespace(), app.name(), app.project(),
                !"DELETED".equals(type) && app.visibleTo(null), snapshot);
    }

    // ---------------------------------------------------------------- HTTP

    /** A JSON reply, or one that comes when {@code later} completes (a refresh waiting for the controller). */
    private record Reply(int status, JsonNode body, CompletableFuture<Reply> later) {
        Reply(int status, JsonNode body) {
            this(status, body, null);
        }
    }

    /** A parsed request as the handlers see it. */
    private record Call(String method, String path, Map<String, List<String>> query, JsonNode body,
                        HttpExchange exchange) {
        String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        List<String> params(String name) {
            return query.getOrDefault(name, List.of());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean handedOff = false;
        try {
            handedOff = answer(exchange);
        } catch (RuntimeException | Error e) {
            failures.record("answering " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
            throw e;
        } finally {
            if (!handedOff) {
                exchange.close();
            }
        }
    }

    /** Answers a request; true when the exchange was handed to the stream thread, which closes it. */
    private boolean answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String rawBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> query = parseQuery(exchange.getRequestURI().getRawQuery());
        requests.add(new RecordedRequest(method, path, query, redactedHeaders(exchange), rawBody));

        Optional<Faults.HttpFault> fault = faults.takeHttpFault(method, path);
        if (fault.isPresent()) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String presented = authorization == null ? "" : authorization.replaceFirst("(?i)^bearer\\s+", "");
            String body = fault.get().body().replace(Faults.PRESENTED_TOKEN, jsonStringContent(presented))
                    .replace(Faults.REQUEST_BODY, jsonStringContent(rawBody));
            send(exchange, fault.get().status(), fault.get().contentType(), body.getBytes(StandardCharsets.UTF_8));
            return false;
        }
        if (!"GET".equals(method) && !"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            send(exchange, 415, "text/plain; charset=utf-8", "Invalid content type".getBytes(StandardCharsets.UTF_8));
            return false;
        }
        String template = template(path);
        if (template == null) {
            sendError(exchange, null, method, new ArgoError(ArgoError.NOT_FOUND, "Not Found"));
            return false;
        }
        if (!SUPPORTED.contains(method + " " + template)) {
            sendError(exchange, null, method, new ArgoError(ArgoError.UNIMPLEMENTED,
                    "the fake Argo CD does not implement " + method + " " + template));
            return false;
        }
        try {
            JsonNode body = "GET".equals(method) ? null : parseBody(method, template, rawBody);
            Call call = new Call(method, path, query, body, exchange);
            if (STREAM_PATH.equals(template)) {
                return watch(call);
            }
            Reply reply = dispatch(call, template);
            if (reply.later() != null) {
                reply.later().whenComplete((done, failure) -> streams.execute(() -> {
                    try (exchange) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        if (cause != null) {
                            sendError(exchange, template, method, cause instanceof ArgoError error ? error
                                    : new ArgoError(ArgoError.INTERNAL, cause.toString()));
                        } else {
                            sendJson(exchange, method, template, done.status(), done.body());
                        }
                    } catch (IOException clientGone) {
                        // the client gave up waiting for the refresh
                    }
                }));
                return true;
            }
            sendJson(exchange, method, template, reply.status(), reply.body());
        } catch (ArgoError error) {
            sendError(exchange, template, method, error);
        }
        return false;
    }

    private static final List<String> SUPPORTED = List.of(
            "GET /api/v1/applications/{name}", "PATCH /api/v1/applications/{name}",
            "POST /api/v1/applications/{name}/sync", "DELETE /api/v1/applications/{name}/operation",
            "GET /api/v1/applications/{applicationName}/resource-tree",
            "GET /api/v1/applications/{applicationName}/managed-resources",
            "PUT /api/v1/applications/{name}/spec", "GET " + STREAM_PATH,
            "POST /api/v1/session", "DELETE /api/v1/session", "GET /api/v1/session/userinfo", "GET /api/version");

    /** The swagger path template of a request path, or null when the fake does not serve it. */
    private static String template(String path) {
        switch (path) {
            case "/api/v1/session", "/api/v1/session/userinfo", "/api/version", STREAM_PATH -> {
                return path;
            }
            default -> { }
        }
        String prefix = "/api/v1/applications/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String[] parts = path.substring(prefix.length()).split("/", -1);
        if (parts[0].isEmpty()) {
            return null;
        }
        if (parts.length == 1) {
            return prefix + "{name}";
        }
        if (parts.length == 2) {
            return switch (parts[1]) {
                case "sync", "operation", "spec" -> prefix + "{name}/" + parts[1];
                case "resource-tree", "managed-resources" -> prefix + "{applicationName}/" + parts[1];
                default -> null;
            };
        }
        return null;
    }

    private Reply dispatch(Call call, String template) {
        switch (call.method() + " " + template) {
            case "POST /api/v1/session" -> {
                String token = sessions.login(call.body().path("username").asText(""), call.body().path("password").asText(""));
                call.exchange().getResponseHeaders().add("Set-Cookie",
                        "argocd.token=" + token + "; path=/; SameSite=lax; httpOnly");
                return new Reply(200, NODES.objectNode().put("token", token));
            }
            case "GET /api/version" -> {
                return new Reply(200, NODES.objectNode().put("Version", "v3.5.1+109ca7c"));
            }
            default -> { }
        }
        Sessions.Session session = authenticate(call.exchange());
        return switch (call.method() + " " + template) {
            case "DELETE /api/v1/session" -> {
                call.exchange().getResponseHeaders().add("Set-Cookie", "argocd.token=; path=/; Max-Age=0");
                yield new Reply(200, NODES.objectNode());
            }
            case "GET /api/v1/session/userinfo" -> new Reply(200, NODES.objectNode()
                    .put("loggedIn", true).put("username", session.username()).put("iss", "argocd"));
            case "GET /api/v1/applications/{name}" -> getApp(call);
            case "POST /api/v1/applications/{name}/sync" -> sync(call, session);
            case "DELETE /api/v1/applications/{name}/operation" -> {
                synchronized (lock) {
                    lookUp(call, call.param("appNamespace"), singleProject(call.param("project"))).terminate();
                }
                yield new Reply(200, NODES.objectNode());
            }
            case "GET /api/v1/applications/{applicationName}/resource-tree" -> {
                synchronized (lock) {
                    yield new Reply(200, lookUp(call, call.param("appNamespace"), singleProject(call.param("project"))).resourceTree());
                }
            }
            case "GET /api/v1/applications/{applicationName}/managed-resources" -> {
                synchronized (lock) {
                    yield new Reply(200, lookUp(call, call.param("appNamespace"), singleProject(call.param("project"))).managedResources());
                }
            }
            case "PUT /api/v1/applications/{name}/spec" -> updateSpec(call);
            case "PATCH /api/v1/applications/{name}" -> patch(call);
            default -> throw new IllegalStateException("no handler for " + call.method() + " " + template);
        };
    }

    private Sessions.Session authenticate(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        } else {
            for (String cookies : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
                for (String cookie : cookies.split(";")) {
                    String trimmed = cookie.trim();
                    if (trimmed.startsWith("argocd.token=")) {
                        token = trimmed.substring("argocd.token=".length());
                    }
                }
            }
        }
        return sessions.authenticate(token);
    }

    private static String singleProject(String project) {
        return project == null || project.isEmpty() ? null : project;
    }

    private static String appName(Call call) {
        String rest = call.path().substring("/api/v1/applications/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** The app a call names, or 403 {@code permission denied} / 404 with {@code project}. */
    private FakeApplication lookUp(Call call, String appNamespace, String project) {
        String name = appName(call);
        String namespace = appNamespace == null || appNamespace.isEmpty() ? CONTROLLER_NAMESPACE : appNamespace;
        FakeApplication app = apps.get(namespace + "/" + name);
        if (app == null || !app.visibleTo(project)) {
            if (project != null) {
                throw new ArgoError(ArgoError.NOT_FOUND, "applications.argoproj.io \"" + name + "\" not found");
            }
            throw new ArgoError(ArgoError.PERMISSION_DENIED, "permission denied");
        }
        return app;
    }

    private Reply getApp(Call call) {
        List<String> projects = new ArrayList<>(call.params("project"));
        projects.addAll(call.params("projects"));
        if (projects.size() > 1) {
            throw new ArgoError(ArgoError.INVALID_ARGUMENT,
                    "multiple projects specified - the get endpoint accepts either zero or one project");
        }
        String refresh = call.param("refresh");
        CompletableFuture<Void> reconciled = null;
        FakeApplication app;
        synchronized (lock) {
            app = lookUp(call, call.param("appNamespace"), projects.isEmpty() ? null : singleProject(projects.get(0)));
            if ("normal".equals(refresh) || "hard".equals(refresh)) {
                reconciled = app.refresh(refresh);
            }
        }
        if (reconciled != null) {
            // the real server blocks the GET until the controller has reconciled; so does the fake, threadless
            return new Reply(0, null, reconciled.orTimeout(refreshDeadline.toMillis(), TimeUnit.MILLISECONDS).handle((done, failure) -> {
                if (failure != null) {
                    // application.go:881: errors.New, so grpc-gateway answers code 2 (Unknown), HTTP 500
                    throw new ArgoError(ArgoError.UNKNOWN, "application refresh deadline exceeded");
                }
                return new Reply(200, app.json());
            }));
        }
        return new Reply(200, app.json());
    }

    /**
     * POST .../sync, its checks in upstream's order (argo-cd v3.5.1 server/application/application.go Sync,
     * lines 2085-2118, then resolveSourceRevisions 2205-2261 and util/argo/argo.go SetAppOperation 946):
     * sync window (403) -> RBAC sync (403) -> deleting (code 9) -> a revision other than the target under
     * auto-sync (code 9) -> resolving the revision (code 9) -> an operation already set (code 9).
     */
    private Reply sync(Call call, Sessions.Session session) {
        JsonNode request = call.body();
        synchronized (lock) {
            FakeApplication app = lookUp(call, request.path("appNamespace").asText(null),
                    singleProject(request.path("project").asText(null)));
            if (app.blockedBySyncWindow()) {
                throw new ArgoError(ArgoError.PERMISSION_DENIED, "cannot sync: blocked by sync window");
            }
            if (app.syncDenied()) {
                throw new ArgoError(ArgoError.PERMISSION_DENIED, "permission denied: applications, sync, "
                        + app.project() + "/" + app.name() + ", sub: " + session.username()
                        + ", iat: " + FakeApplication.stamp(session.issuedAt()));
            }
            if (app.isDeleting()) {
                throw new ArgoError(ArgoError.FAILED_PRECONDITION, "application is deleting");
            }
            JsonNode spec = app.spec();
            boolean dryRun = request.path("dryRun").asBoolean(false);
            List<String> requested = requestedRevisions(request, spec);
            if (spec.path("syncPolicy").has("automated") && !dryRun) {
                refuseOtherRevisionUnderAutoSync(spec, requested);
            }
            List<String> resolved = SourceRevisions.resolve(revisions, spec, requested);
            if (app.hasOperation()) {
                throw new ArgoError(ArgoError.FAILED_PRECONDITION, "another operation is already in progress");
            }
            ObjectNode operation = NODES.objectNode();
            ObjectNode sync = operation.putObject("sync");
            SourceRevisions.putRevisions(sync, spec, resolved);
            if (request.path("prune").asBoolean(false)) {
                sync.put("prune", true);
            }
            if (dryRun) {
                sync.put("dryRun", true);
            }
            if (request.path("strategy").isObject()) {
                sync.set("syncStrategy", request.get("strategy").deepCopy());
            }
            if (request.path("resources").isArray() && !request.get("resources").isEmpty()) {
                sync.set("resources", request.get("resources").deepCopy());
            }
            SourceRevisions.putSources(sync, spec);
            if (request.path("manifests").isArray() && !request.get("manifests").isEmpty()) {
                sync.set("manifests", request.get("manifests").deepCopy());
            }
            JsonNode options = request.has("syncOptions") ? request.path("syncOptions").path("items")
                    : spec.path("syncPolicy").path("syncOptions");
            if (options.isArray() && !options.isEmpty()) {
                sync.set("syncOptions", options.deepCopy());
            }
            operation.putObject("initiatedBy").put("username", session.username());
            if (request.path("infos").isArray() && !request.get("infos").isEmpty()) {
                operation.set("info", request.get("infos").deepCopy());
            }
            JsonNode retry = request.has("retryStrategy") ? request.get("retryStrategy") : spec.path("syncPolicy").path("retry");
            operation.set("retry", retry.isObject() ? retry.deepCopy() : NODES.objectNode());
            return new Reply(200, app.acceptSync(operation, resolved));
        }
    }

    /**
     * The revision the request asks for per source: {@code revision} for a single-source app; for a
     * multi-source app {@code revisions} placed by {@code sourcePositions} (1-based), as upstream does
     * (application.go:2207-2212): revisions without positions are ignored, a position out of range is an
     * {@code errors.New}, so code 2 (HTTP 500).
     */
    private static List<String> requestedRevisions(JsonNode request, JsonNode spec) {
        if (!SourceRevisions.isMultiSource(spec)) {
            return List.of(request.path("revision").asText(""));
        }
        List<String> overrides = new ArrayList<>();
        spec.path("sources").forEach(source -> overrides.add(""));
        JsonNode requested = request.path("revisions");
        JsonNode positions = request.path("sourcePositions");
        for (int i = 0; i < positions.size(); i++) {
            int index = positions.get(i).asInt() - 1;
            if (index < 0 || index >= overrides.size()) {
                throw new ArgoError(ArgoError.UNKNOWN, "source position is out of range");
            }
            overrides.set(index, requested.path(i).asText(""));
        }
        return overrides;
    }

    /**
     * Under auto-sync, a revision other than the target is refused with code 9 (application.go:2221-2225 for
     * a multi-source app, naming the source; 2252-2255 for a single source). The comparison is against the
     * target or {@code HEAD}; the message quotes the target as written.
     */
    private static void refuseOtherRevisionUnderAutoSync(JsonNode spec, List<String> requested) {
        List<JsonNode> sources = SourceRevisions.sources(spec);
        for (int i = 0; i < sources.size(); i++) {
            String desired = requested.get(i);
            String target = sources.get(i).path("targetRevision").asText("");
            if (!desired.isEmpty() && !desired.equals(target.isEmpty() ? "HEAD" : target)) {
                throw new ArgoError(ArgoError.FAILED_PRECONDITION, SourceRevisions.isMultiSource(spec)
                        ? "Cannot sync source " + sources.get(i).path("repoURL").asText() + " to " + desired
                                + ": auto-sync currently set to " + target
                        : "Cannot sync to " + desired + ": auto-sync currently set to " + target);
            }
        }
    }

    private Reply updateSpec(Call call) {
        JsonNode spec = call.body();
        synchronized (lock) {
            FakeApplication app = lookUp(call, call.param("appNamespace"), singleProject(call.param("project")));
            if (!"false".equals(call.param("validate"))) {
                validateSpec(app.name(), spec);
            }
            app.replaceSpec(spec);
            return new Reply(200, app.spec().deepCopy());
        }
    }

    private void validateSpec(String name, JsonNode spec) {
        String prefix = "application spec for " + name + " is invalid: InvalidSpecError: ";
        JsonNode source = spec.path("source");
        if (!source.isObject() && !spec.path("sources").isArray()) {
            throw new ArgoError(ArgoError.INVALID_ARGUMENT, prefix + "spec.source or spec.sources must be specified");
        }
        for (JsonNode each : source.isObject() ? List.of(source) : iterable(spec.path("sources"))) {
            if (each.path("repoURL").asText("").isEmpty()) {
                throw new ArgoError(ArgoError.INVALID_ARGUMENT, prefix + "spec.source.repoURL and either "
                        + "spec.source.path, spec.source.chart, or spec.source.ref are required");
            }
            try {
                revisions.resolve(each.path("targetRevision").asText(""));
            } catch (ArgoError unresolvable) {
                throw new ArgoError(ArgoError.INVALID_ARGUMENT, prefix + "Unable to generate manifests in "
                        + each.path("path").asText("") + ": " + unresolvable.getMessage());
            }
        }
        if (spec.path("destination").path("server").asText("").isEmpty()
                && spec.path("destination").path("name").asText("").isEmpty()) {
            throw new ArgoError(ArgoError.INVALID_ARGUMENT, prefix + "Destination server missing from app spec");
        }
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private Reply patch(Call call) {
        JsonNode request = call.body();
        String patchType = request.path("patchType").asText("");
        synchronized (lock) {
            FakeApplication app = lookUp(call, request.path("appNamespace").asText(null),
                    singleProject(request.path("project").asText(null)));
            JsonNode patch;
            try {
                patch = JSON.readTree(request.path("patch").asText(""));
            } catch (JsonProcessingException e) {
                throw new ArgoError(ArgoError.INVALID_ARGUMENT, "invalid patch: " + e.getOriginalMessage());
            }
            JsonNode patched = switch (patchType) {
                case "merge" -> JsonPatch.merge(app.json(), patch);
                case "json", "" -> JsonPatch.apply(app.json(), patch);
                default -> throw new ArgoError(ArgoError.INVALID_ARGUMENT, "Patch type '" + patchType + "' is not supported");
            };
            contract.ifPresent(c -> {
                List<ContractViolation> problems = c.validate("v1alpha1Application", patched);
                if (!problems.isEmpty()) {
                    violations.addAll(problems);
                    throw new ArgoError(ArgoError.INVALID_ARGUMENT, "patched application is invalid: " + problems.get(0));
                }
            });
            app.replaceFromPatch(patched);
            return new Reply(200, app.json());
        }
    }

    // ---------------------------------------------------------------- watch stream

    private boolean watch(Call call) throws IOException {
        HttpExchange exchange = call.exchange();
        Optional<Integer> unavailable = faults.streamsUnavailableStatus();
        if (unavailable.isPresent()) {
            int status = unavailable.get();
            if (status == 404) {
                send(exchange, 404, "text/plain; charset=utf-8", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
            } else {
                byte[] body = errorBody(ArgoError.grpcCodeOf(status), ArgoError.httpStatusText(status)).getBytes(StandardCharsets.UTF_8);
                send(exchange, status, "application/json", body);
            }
            return false;
        }
        boolean sse = String.valueOf(exchange.getRequestHeaders().getFirst("Accept")).contains("text/event-stream");
        try {
            authenticate(exchange);
        } catch (ArgoError error) {
            streams.rejectWithErrorChunk(exchange, sse, error.grpcCode(), error.getMessage());
            return false;
        }
        String name = call.param("name");
        String namespace = Optional.ofNullable(call.param("appNamespace")).filter(s -> !s.isEmpty()).orElse(CONTROLLER_NAMESPACE);
        List<String> projects = new ArrayList<>(call.params("projects"));
        projects.addAll(call.params("project"));
        WatchStreams.Filter filter = new WatchStreams.Filter(name, namespace, List.copyOf(projects),
                parseResourceVersion(call.param("resourceVersion")), call.param("selector"));
        synchronized (lock) {
            List<WatchStreams.Event> initial = new ArrayList<>();
            if (name != null || filter.since() < 0) {
                for (FakeApplication app : apps.values()) {
                    WatchStreams.Event current = event("ADDED", app, app.json());
                    if (filter.matches(current)) {
                        initial.add(current);
                    }
                }
            }
            streams.open(exchange, sse, filter, initial, faults);
        }
        return true;
    }

    /**
     * The watch's {@code resourceVersion}: -1 when absent; an unparsable one counts as 0, i.e. no
     * lower bound, but still asks for a resumed watch (application.go:1267-1271 strconv.Atoi, error ignored).
     */
    private static long parseResourceVersion(String text) {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- bodies

    private JsonNode parseBody(String method, String template, String rawBody) {
        JsonNode body;
        try {
            body = rawBody.isBlank() ? NODES.objectNode() : JSON.readTree(rawBody);
        } catch (JsonProcessingException e) {
            throw new ArgoError(ArgoError.INVALID_ARGUMENT, "invalid character in request body: " + e.getOriginalMessage());
        }
        if (contract.isPresent() && (!"DELETE".equals(method) || !rawBody.isBlank())) {
            List<ContractViolation> problems = contract.get().validateRequestBody(method, template, body);
            validatedBodies.incrementAndGet();
            violations.addAll(problems);
            for (ContractViolation problem : problems) {
                if (!problem.problem().startsWith("unknown property")) {
                    // Go's decoder rejects a wrongly typed field (it ignores unknown ones)
                    throw new ArgoError(ArgoError.INVALID_ARGUMENT, "json: cannot unmarshal request body: " + problem);
                }
            }
        }
        if (!body.isObject()) {
            throw new ArgoError(ArgoError.INVALID_ARGUMENT, "json: cannot unmarshal " + body.getNodeType()
                    .name().toLowerCase(Locale.ROOT) + " into Go value of type request");
        }
        return body;
    }

    private void checkResponse(String method, String template, int status, JsonNode body) {
        contract.ifPresent(c -> {
            violations.addAll(c.validateResponse(method, template, status, body));
            validatedBodies.incrementAndGet();
        });
    }

    private void sendJson(HttpExchange exchange, String method, String template, int status, JsonNode body) throws IOException {
        checkResponse(method, template, status, body);
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private void sendError(HttpExchange exchange, String template, String method, ArgoError error) throws IOException {
        byte[] body = errorBody(error.grpcCode(), error.getMessage()).getBytes(StandardCharsets.UTF_8);
        if (template != null) {
            checkResponse(method, template, error.httpStatus(), JSON.readTree(body));
        }
        send(exchange, error.httpStatus(), "application/json", body);
    }

    /** {@code text} as it stands between the quotes of a JSON string. */
    private static String jsonStringContent(String text) {
        String quoted = NODES.textNode(text).toString();
        return quoted.substring(1, quoted.length() - 1);
    }

    static String errorBody(int grpcCode, String message) {
        ObjectNode body = NODES.objectNode();
        body.put("error", message).put("code", grpcCode).put("message", message);
        return body.toString();
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static Map<String, List<String>> redactedHeaders(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            List<String> copy = new ArrayList<>();
            for (String value : values) {
                if ("authorization".equals(key)) {
                    int space = value.indexOf(' ');
                    copy.add((space < 0 ? "" : value.substring(0, space + 1)) + "<redacted>");
                } else if ("cookie".equals(key)) {
                    copy.add(value.replaceAll("argocd\\.token=[^;]*", "argocd.token=<redacted>"));
                } else {
                    copy.add(value);
                }
            }
            headers.put(key, List.copyOf(copy));
        });
        return headers;
    }
}
