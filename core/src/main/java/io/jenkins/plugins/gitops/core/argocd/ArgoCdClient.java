package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.DurationText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * Client of the Argo CD API server (see CONTRACT.md of the project's Argo CD notes): read, sync, watch and terminate
 * applications, override their parameters, check the connection.
 *
 * <p>All calls are asynchronous on the injected {@link HttpClient}; a watch holds no thread while the stream is
 * quiet. Give the client an {@code HttpClient} with a small bounded executor when running many waits (the default
 * executor grows a thread per concurrent response). TLS (custom CA, insecure switch) and the proxy are the
 * {@code HttpClient}'s business: see {@link ArgoCdTls}.
 *
 * <p>With {@link ArgoCdCredentials.Login}, the client logs in on first use and once more whenever the server answers
 * {@code invalid session: ...}. Credentials never appear in exception messages.
 */
public final class ArgoCdClient implements ApplicationBackend {

    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = ApplicationJson.mapper();

    private final URI server;
    private final ArgoCdCredentials credentials;
    private final HttpClient http;
    private final Duration callTimeout;
    /** The bearer token in use: fixed for {@link ArgoCdCredentials.Token}, a session login otherwise. */
    private final AtomicReference<CompletableFuture<String>> token = new AtomicReference<>();

    /**
     * @param server base URL, e.g. {@code https://argocd.example.org} (a path prefix is kept); no user info
     * @param callTimeout how long one call may wait for the response headers; note that a read with refresh blocks
     *     on the server until the controller has compared the app with git
     */
    public ArgoCdClient(URI server, ArgoCdCredentials credentials, HttpClient http, Duration callTimeout) {
        Objects.requireNonNull(server, "server");
        if (!"https".equalsIgnoreCase(server.getScheme()) && !"http".equalsIgnoreCase(server.getScheme())) {
            throw new IllegalArgumentException("Argo CD server URL must start with https:// or http://: " + server);
        }
        if (server.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the Argo CD server URL must not contain credentials; pass them apart");
        }
        String base = server.toString();
        this.server = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.http = Objects.requireNonNull(http, "http");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        if (credentials instanceof ArgoCdCredentials.Token t) {
            token.set(CompletableFuture.completedFuture(t.token()));
        }
    }

    public ArgoCdClient(URI server, ArgoCdCredentials credentials, HttpClient http) {
        this(server, credentials, http, Duration.ofMinutes(2));
    }

    @Override
    public String describe() {
        return server.toString();
    }

    /** Who the credentials authenticate as; the connection test. */
    public CompletableFuture<UserInfo> userInfo() {
        return call("GET", "/api/v1/session/userinfo", Map.of(), null, "connection test",
                body -> MAPPER.treeToValue(body, UserInfo.class));
    }

    /**
     * The answer of {@code GET /api/v1/session/userinfo}.
     *
     * @param loggedIn false when the server accepted the call without a valid session (anonymous access)
     */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record UserInfo(boolean loggedIn, String username, String iss, List<String> groups) {
        public UserInfo {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    @Override
    public CompletableFuture<Application> get(ApplicationRef app, Refresh refresh) {
        Map<String, String> query = scope(app);
        if (refresh != Refresh.NONE) {
            query.put("refresh", refresh.name().toLowerCase(java.util.Locale.ROOT));
        }
        String what = "reading application " + app;
        return call("GET", appPath(app), query, null, what, body -> ApplicationJson.parseAnswer(body, what));
    }

    @Override
    public CompletableFuture<Application> sync(ApplicationRef app, SyncRequest request) {
        String what = "syncing application " + app;
        return call("POST", appPath(app) + "/sync", Map.of(), syncBody(app, request), what,
                body -> ApplicationJson.parseAnswer(body, what));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The server answers "No operation is in progress" both when nothing is requested and when an operation is
     * requested but not started yet ({@code status.operationState} still empty, server/application/application.go
     * TerminateOperation). The app is read to tell them apart: the first completes normally, the second fails with
     * {@link OperationNotStartedException}, since that operation will still run.
     */
    @Override
    public CompletableFuture<Void> terminate(ApplicationRef app) {
        String what = "terminating the operation of " + app;
        return call("DELETE", appPath(app) + "/operation", scope(app), null, what, body -> (Void) null)
                .handle((ok, error) -> {
                    if (error == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    Throwable cause = unwrap(error);
                    if (cause instanceof InvalidRequestException invalid && invalid.serverMessage() != null
                            && invalid.serverMessage().contains("No operation is in progress")) {
                        return get(app, Refresh.NONE).thenApply(current -> {
                            if (current.operation() != null) {
                                throw new OperationNotStartedException(invalid.httpStatus(), invalid.serverMessage(),
                                        what + " failed: the controller has not started it yet, so Argo CD cannot"
                                                + " terminate it (it will still run)");
                            }
                            return (Void) null;
                        });
                    }
                    return CompletableFuture.<Void>failedFuture(cause);
                })
                .thenCompose(next -> next);
    }

    /**
     * Reads the app, edits its spec, writes the whole spec back with validation ({@code PUT .../spec?validate=true}),
     * as {@code argocd app set} does.
     */
    @Override
    public CompletableFuture<Boolean> override(ApplicationRef app, SpecOverride override) {
        String what = "overriding parameters of " + app;
        return call("GET", appPath(app), scope(app), null, what, body -> body)
                .thenCompose(current -> {
                    if (!(current.get("spec") instanceof ObjectNode spec)) {
                        throw new InvalidRequestException(200, null, "application " + app + " has no spec");
                    }
                    ObjectNode edited = override.applyTo(spec);
                    if (edited.equals(spec)) {
                        return CompletableFuture.completedFuture(false);
                    }
                    Map<String, String> query = scope(app);
                    query.put("validate", "true");
                    return call("PUT", appPath(app) + "/spec", query, edited, what, body -> true);
                });
    }

    @Override
    public WatchHandle watch(ApplicationRef app, String fromResourceVersion, WatchListener listener) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("name", app.name());
        if (app.namespace() != null) {
            query.put("appNamespace", app.namespace());
        }
        if (app.project() != null) {
            query.put("projects", app.project());
        }
        if (fromResourceVersion != null && !fromResourceVersion.isEmpty()) {
            query.put("resourceVersion", fromResourceVersion);
        }
        URI uri = uri("/api/v1/stream/applications", query);
        EventStream stream = new EventStream(app, listener);
        CompletableFuture<HttpResponse<Void>> exchange = bearer()
                .thenCompose(bearer -> {
                    if (stream.closed.get()) {
                        return CompletableFuture.<HttpResponse<Void>>completedFuture(null);
                    }
                    // No request timeout: the server sends no headers until the first event.
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .GET()
                            .header("Accept", JSON)
                            .header("Authorization", "Bearer " + bearer)
                            .build();
                    stream.bearer = bearer;
                    CompletableFuture<HttpResponse<Void>> sent = http.sendAsync(request, stream);
                    stream.exchange = sent;
                    return sent;
                });
        exchange.whenComplete((response, error) -> {
            if (error != null) {
                stream.end(transportError(unwrap(error), "watching application " + app));
            }
        });
        return stream::close;
    }

    // ---- one request/response call -------------------------------------------------------------------------

    @FunctionalInterface
    private interface BodyReader<T> {
        T read(JsonNode body) throws IOException;
    }

    private <T> CompletableFuture<T> call(String method, String path, Map<String, String> query, JsonNode body,
            String what, BodyReader<T> reader) {
        return attempt(method, path, query, body, what, reader, true);
    }

    private <T> CompletableFuture<T> attempt(String method, String path, Map<String, String> query, JsonNode body,
            String what, BodyReader<T> reader, boolean mayLogIn) {
        return bearer().thenCompose(bearer -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, query))
                    .timeout(callTimeout)
                    .header("Accept", JSON)
                    .header("Authorization", "Bearer " + bearer);
            if ("GET".equals(method)) {
                request.GET();
            } else {
                request.header("Content-Type", JSON);
                request.method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8));
            }
            return exchange(request.build(), what)
                    .thenCompose(response -> {
                        if (response.statusCode() == 200) {
                            try {
                                return CompletableFuture.completedFuture(reader.read(readTree(response.body(), what)));
                            } catch (IOException | IllegalArgumentException e) {
                                throw new CompletionException(new UnexpectedAnswerException(200, what
                                        + ": unexpected answer from " + server + ": " + e.getMessage(), e));
                            }
                        }
                        ArgoCdException failure = ArgoCdErrors.fromResponse(response.statusCode(), response.body(), what);
                        if (mayLogIn && sessionExpired(failure)) {
                            renewSession(bearer);
                            return attempt(method, path, query, body, what, reader, false);
                        }
                        throw new CompletionException(failure);
                    });
        });
    }

    /** A response: status and body text. */
    private record Answer(int statusCode, String body) {}

    /**
     * Sends {@code request} and completes with its answer on a thread of the HttpClient's executor. Not on the future
     * {@code sendAsync} returns: the JDK completes that one on the common pool, which below 3 CPUs is a new thread
     * per response, and hundreds of concurrent waits would briefly need hundreds of threads.
     */
    private CompletableFuture<Answer> exchange(HttpRequest request, String what) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        http.sendAsync(request, info -> HttpResponse.BodySubscribers.mapping(
                        HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8), body -> {
                            answer.complete(new Answer(info.statusCode(), body));
                            return null;
                        }))
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        answer.completeExceptionally(transportError(unwrap(error), what));
                    }
                });
        return answer;
    }

    // ---- authentication ------------------------------------------------------------------------------------

    private CompletableFuture<String> bearer() {
        while (true) {
            CompletableFuture<String> current = token.get();
            if (current != null) {
                return current;
            }
            CompletableFuture<String> login = new CompletableFuture<>();
            if (token.compareAndSet(null, login)) {
                logIn().whenComplete((jwt, error) -> {
                    if (error != null) {
                        token.compareAndSet(login, null);
                        login.completeExceptionally(unwrap(error));
                    } else {
                        login.complete(jwt);
                    }
                });
                return login;
            }
        }
    }

    private CompletableFuture<String> logIn() {
        if (!(credentials instanceof ArgoCdCredentials.Login login)) {
            return CompletableFuture.failedFuture(new IllegalStateException("no session to log in to"));
        }
        ObjectNode body = MAPPER.createObjectNode().put("username", login.username()).put("password", login.password());
        String what = "logging in to " + server + " as " + login.username();
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/session", Map.of()))
                .timeout(callTimeout)
                .header("Accept", JSON)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8))
                .build();
        return exchange(request, what)
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new CompletionException(
                                ArgoCdErrors.fromResponse(response.statusCode(), response.body(), what));
                    }
                    String jwt = readTree(response.body(), what).path("token").asText("");
                    if (jwt.isEmpty()) {
                        throw new CompletionException(new ArgoCdException(200, null, what + ": no token in the answer"));
                    }
                    Redaction.register(this, jwt); // a session token is a secret like the password that got it
                    return jwt;
                });
    }

    /** A login session that expired (or was revoked) can be renewed; a fixed token cannot. */
    private boolean sessionExpired(ArgoCdException failure) {
        return credentials instanceof ArgoCdCredentials.Login
                && failure instanceof AuthenticationFailedException
                && failure.serverMessage() != null
                && failure.serverMessage().startsWith("invalid session");
    }

    /** Forgets {@code staleBearer} so that the next call logs in again (once, however many calls saw it fail). */
    private void renewSession(String staleBearer) {
        CompletableFuture<String> current = token.get();
        if (current != null && current.isDone() && !current.isCompletedExceptionally()
                && staleBearer.equals(current.join())) {
            token.compareAndSet(current, null);
        }
    }

    // ---- the watch stream ----------------------------------------------------------------------------------

    /** Reads the newline-delimited event stream; one per watch, driven by the HttpClient's executor. */
    private final class EventStream implements HttpResponse.BodyHandler<Void>, Flow.Subscriber<String> {
        final ApplicationRef app;
        final WatchListener listener;
        final AtomicBoolean closed = new AtomicBoolean();
        final StringBuilder errorBody = new StringBuilder();
        volatile Flow.Subscription subscription;
        volatile CompletableFuture<HttpResponse<Void>> exchange;
        volatile String bearer;
        int status;

        EventStream(ApplicationRef app, WatchListener listener) {
            this.app = app;
            this.listener = listener;
        }

        @Override
        public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
            status = info.statusCode();
            return HttpResponse.BodySubscribers.fromLineSubscriber(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed.get()) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            if (closed.get()) {
                return;
            }
            if (status != 200) {
                errorBody.append(line);
                return;
            }
            if (line.isBlank()) {
                return;
            }
            JsonNode chunk;
            try {
                chunk = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                end(new UnexpectedAnswerException(status, "watching application " + app
                        + ": unreadable event from " + server + ": " + e.getOriginalMessage(), e));
                return;
            }
            if (chunk.has("error")) {
                JsonNode error = chunk.get("error");
                ArgoCdException failure = ArgoCdErrors.fromStatus(error.path("http_code").asInt(500),
                        error.path("message").asText(null), "watching application " + app);
                if (sessionExpired(failure) && bearer != null) {
                    renewSession(bearer);
                }
                end(failure);
                return;
            }
            String what = "watching application " + app;
            JsonNode result = chunk.path("result");
            if (!result.isObject() || !result.path("type").isTextual()) {
                end(new UnexpectedAnswerException(status, what + ": the server sent " + abbreviate(line)
                        + " instead of an event", null));
                return;
            }
            WatchEvent.Type type;
            try {
                type = WatchEvent.Type.valueOf(result.path("type").asText());
            } catch (IllegalArgumentException e) {
                return; // an event type this client does not know (e.g. BOOKMARK): nothing to act on
            }
            try {
                listener.onEvent(new WatchEvent(type, ApplicationJson.parseAnswer(result.path("application"), what)));
            } catch (RuntimeException e) {
                end(e instanceof ArgoCdException ? e : new UnexpectedAnswerException(status, what + ": " + e, e));
            }
        }

        private static String abbreviate(String line) {
            return line.length() > 100 ? line.substring(0, 100) + "..." : line;
        }

        @Override
        public void onError(Throwable error) {
            end(transportError(error, "watching application " + app));
        }

        @Override
        public void onComplete() {
            if (status != 200) {
                ArgoCdException failure = ArgoCdErrors.fromResponse(status, errorBody.toString(),
                        "watching application " + app);
                if (sessionExpired(failure) && bearer != null) {
                    renewSession(bearer);
                }
                end(failure);
            } else {
                end(null);
            }
        }

        /** Reports the end once, unless the watch was closed by its owner. */
        void end(Throwable error) {
            if (closed.compareAndSet(false, true)) {
                cancelExchange();
                listener.onClosed(error);
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                cancelExchange();
            }
        }

        private void cancelExchange() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            CompletableFuture<HttpResponse<Void>> sent = exchange;
            if (sent != null) {
                sent.cancel(true);
            }
        }
    }

    // ---- request building ----------------------------------------------------------------------------------

    private ObjectNode syncBody(ApplicationRef app, SyncRequest request) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("name", app.name());
        if (request.revision() != null) {
            body.put("revision", request.revision());
        }
        if (request.prune()) {
            body.put("prune", true);
        }
        if (request.dryRun()) {
            body.put("dryRun", true);
        }
        if (request.strategy() != null) {
            ObjectNode kind = body.putObject("strategy")
                    .putObject(request.strategy().kind() == SyncRequest.Strategy.Kind.APPLY ? "apply" : "hook");
            if (request.strategy().force()) {
                kind.put("force", true);
            }
        }
        if (!request.resources().isEmpty()) {
            ArrayNode resources = body.putArray("resources");
            for (SyncRequest.Resource r : request.resources()) {
                ObjectNode node = resources.addObject().put("group", r.group()).put("kind", r.kind()).put("name", r.name());
                if (r.namespace() != null) {
                    node.put("namespace", r.namespace());
                }
            }
        }
        if (request.syncOptions() != null) {
            ArrayNode items = body.putObject("syncOptions").putArray("items");
            request.syncOptions().forEach(items::add);
        }
        if (request.retry() != null) {
            SyncRequest.RetryStrategy retry = request.retry();
            ObjectNode node = body.putObject("retryStrategy").put("limit", retry.limit());
            if (retry.refresh()) {
                node.put("refresh", true);
            }
            ObjectNode backoff = node.putObject("backoff");
            if (retry.backoffDuration() != null) {
                backoff.put("duration", GoDuration.format(retry.backoffDuration()));
            }
            if (retry.backoffFactor() > 0) {
                backoff.put("factor", retry.backoffFactor());
            }
            if (retry.backoffMaxDuration() != null) {
                backoff.put("maxDuration", GoDuration.format(retry.backoffMaxDuration()));
            }
        }
        if (!request.infos().isEmpty()) {
            ArrayNode infos = body.putArray("infos");
            request.infos().forEach(i -> infos.addObject().put("name", i.name()).put("value", i.value()));
        }
        if (app.namespace() != null) {
            body.put("appNamespace", app.namespace());
        }
        if (app.project() != null) {
            body.put("project", app.project());
        }
        return body;
    }

    private static Map<String, String> scope(ApplicationRef app) {
        Map<String, String> query = new LinkedHashMap<>();
        if (app.namespace() != null) {
            query.put("appNamespace", app.namespace());
        }
        if (app.project() != null) {
            query.put("project", app.project());
        }
        return query;
    }

    private static String appPath(ApplicationRef app) {
        return "/api/v1/applications/" + encode(app.name());
    }

    private URI uri(String path, Map<String, String> query) {
        StringBuilder s = new StringBuilder(server.toString()).append(path);
        char separator = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            s.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            separator = '&';
        }
        return URI.create(s.toString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String write(JsonNode body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body as JSON: a missing node for an empty body, {@code NullNode} for {@code null}; readers refuse both. */
    private JsonNode readTree(String body, String what) {
        if (body == null || body.isBlank()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new CompletionException(new UnexpectedAnswerException(200, what + ": " + server
                    + " did not answer with JSON (is this an Argo CD API server?): " + e.getOriginalMessage(), e));
        }
    }

    private ArgoCdException transportError(Throwable error, String what) {
        if (error instanceof ArgoCdException argo) {
            return argo;
        }
        if (error instanceof SSLException) {
            return new ArgoCdException(0, null, what + " failed: TLS handshake with " + server + " did not succeed (" + error.getMessage()
                    + "); give the server's CA certificate, or allow insecure TLS for a test server", error);
        }
        if (error instanceof HttpTimeoutException) {
            return new ServerUnavailableException(0, null, what + " failed: " + server + " did not answer within "
                    + DurationText.format(callTimeout), error);
        }
        if (error instanceof ConnectException) {
            return new ServerUnavailableException(0, null, what + " failed: cannot connect to " + server, error);
        }
        return new ServerUnavailableException(0, null, what + " failed: connection to " + server + " broke: "
                + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage()), error);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
