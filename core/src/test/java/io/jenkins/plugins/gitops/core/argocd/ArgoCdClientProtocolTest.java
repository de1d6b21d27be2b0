package io.jenkins.plugins.gitops.core.argocd;

import static io.jenkins.plugins.gitops.core.argocd.AppState.NEW;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.gitops.core.testing.ServerSideFailures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's wire behaviour against hand-written server answers: headers, bodies, framing of the watch stream,
 * error mapping. The full sync-and-wait runs against the contract-validated fake in {@code SyncWaiterTest}.
 */
class ArgoCdClientProtocolTest {

    private static final String SECRET = "s3cr3t-token-value";

    private HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ServerSideFailures failures = new ServerSideFailures("the test's Argo CD server");

    record Seen(String method, String uri, String contentType, String authorization, String body) {}

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        failures.rethrow();
    }

    private ArgoCdClient client(ArgoCdCredentials credentials) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new ArgoCdClient(uri, credentials, HttpClient.newHttpClient(), Duration.ofSeconds(30));
    }

    private void route(String path, Handler handler) {
        server.createContext(path, exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            try {
                handler.handle(exchange, body);
            } catch (RuntimeException | Error e) {
                failures.record("answering " + exchange.getRequestURI(), e);
                throw e;
            } finally {
                exchange.close();
            }
        });
    }

    interface Handler {
        void handle(HttpExchange exchange, String body) throws IOException;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String error(int code, String message) {
        return "{\"error\":\"" + message + "\",\"code\":" + code + ",\"message\":\"" + message + "\"}";
    }

    /** What the call threw, unwrapped from the future's CompletionException. */
    private static Throwable failureOf(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(e).as("the call must fail").isNotNull();
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Test
    void sendsBearerTokenAndScopeParametersOnGetWithRefresh() {
        route("/api/v1/applications/guestbook", (ex, body) -> respond(ex, 200, AppState.syncedHealthy(NEW).json()));
        var app = client(new ArgoCdCredentials.Token(SECRET))
                .get(new ApplicationRef("guestbook", "team-a", "payments"), Refresh.HARD).join();

        assertThat(app.status().sync().revision()).isEqualTo(NEW);
        Seen get = seen.get(0);
        assertThat(get.uri()).isEqualTo("/api/v1/applications/guestbook?appNamespace=team-a&project=payments&refresh=hard");
        assertThat(get.authorization()).isEqualTo("Bearer " + SECRET);
        assertThat(get.contentType()).isNull();
    }

    @Test
    void sendsExactlyJsonContentTypeOnEveryNonGet() {
        route("/api/v1/applications/guestbook/sync", (ex, body) -> respond(ex, 200, AppState.syncedHealthy(NEW).json()));
        route("/api/v1/applications/guestbook/operation", (ex, body) -> respond(ex, 200, "{}"));
        var client = client(new ArgoCdCredentials.Token(SECRET));

        client.sync(ApplicationRef.of("guestbook"), SyncRequest.defaults()).join();
        client.terminate(ApplicationRef.of("guestbook")).join();

        assertThat(seen).extracting(Seen::method).containsExactly("POST", "DELETE");
        assertThat(seen).extracting(Seen::contentType).containsOnly("application/json");
    }

    @Test
    void writesEverySyncOptionInTheServersShape() throws Exception {
        route("/api/v1/applications/guestbook/sync", (ex, body) -> respond(ex, 200, AppState.syncedHealthy(NEW).json()));
        SyncRequest request = SyncRequest.defaults().withRevision(NEW).withPrune(true).withDryRun(true)
                .withResources(List.of(new SyncRequest.Resource("apps", "Deployment", "guestbook", "ui")))
                .withSyncOptions(List.of("CreateNamespace=true"))
                .withStrategy(new SyncRequest.Strategy(SyncRequest.Strategy.Kind.HOOK, true))
                .withRetry(new SyncRequest.RetryStrategy(2, true, Duration.ofSeconds(5), 2, Duration.ofMinutes(3)))
                .withInfo(new Application.Info("build", "142"));

        client(new ArgoCdCredentials.Token(SECRET)).sync(new ApplicationRef("guestbook", "argocd", "default"), request)
                .join();

        var body = ApplicationJson.mapper().readTree(seen.get(0).body());
        assertThat(body).isEqualTo(ApplicationJson.mapper().readTree("""
                {"name":"guestbook","revision":"%s","prune":true,"dryRun":true,
                 "strategy":{"hook":{"force":true}},
                 "resources":[{"group":"apps","kind":"Deployment","name":"ui","namespace":"guestbook"}],
                 "syncOptions":{"items":["CreateNamespace=true"]},
                 "retryStrategy":{"limit":2,"refresh":true,"backoff":{"duration":"5s","factor":2,"maxDuration":"3m0s"}},
                 "infos":[{"name":"build","value":"142"}],
                 "appNamespace":"argocd","project":"default"}
                """.formatted(NEW)));
    }

    @Test
    void mapsAnotherOperationInProgressToItsOwnException() {
        route("/api/v1/applications/guestbook/sync",
                (ex, body) -> respond(ex, 400, error(9, "another operation is already in progress")));
        assertThat(failureOf(() -> client(new ArgoCdCredentials.Token(SECRET))
                        .sync(ApplicationRef.of("guestbook"), SyncRequest.defaults()).join()))
                .isInstanceOf(OperationInProgressException.class)
                .satisfies(e -> assertThat(((ArgoCdException) e).serverMessage())
                        .isEqualTo("another operation is already in progress"));
    }

    @Test
    void mapsEachErrorStatusToATypedExceptionWithTheServersMessageAndNoToken() {
        Map<Integer, Class<? extends ArgoCdException>> expected = Map.of(
                401, AuthenticationFailedException.class,
                403, PermissionDeniedException.class,
                404, ApplicationNotFoundException.class,
                409, ConflictException.class,
                400, InvalidRequestException.class,
                503, ServerUnavailableException.class);
        BlockingQueue<Integer> statuses = new LinkedBlockingQueue<>(expected.keySet());
        route("/api/v1/applications/guestbook", (ex, body) -> {
            int status = statuses.peek();
            respond(ex, status, error(status == 401 ? 16 : 3, "server says " + status));
        });
        var client = client(new ArgoCdCredentials.Token(SECRET));
        for (var entry : expected.entrySet()) {
            statuses.clear();
            statuses.add(entry.getKey());
            assertThat(failureOf(() -> client.get(ApplicationRef.of("guestbook"), Refresh.NONE).join()))
                    .isInstanceOf(entry.getValue())
                    .satisfies(e -> {
                        assertThat(e.getMessage()).contains("server says " + entry.getKey())
                                .contains("reading application guestbook").doesNotContain(SECRET);
                        assertThat(((ArgoCdException) e).httpStatus()).isEqualTo(entry.getKey());
                    });
        }
    }

    @Test
    void plainTextUnsupportedMediaTypeIsReportedVerbatim() {
        route("/api/v1/applications/guestbook/operation", (ex, body) -> {
            byte[] text = "Invalid content type".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(415, text.length);
            ex.getResponseBody().write(text);
        });
        assertThat(failureOf(() -> client(new ArgoCdCredentials.Token(SECRET)).terminate(ApplicationRef.of("guestbook"))
                        .join()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Invalid content type");
    }

    @Test
    void logsInAgainOnceWhenTheSessionExpires() {
        String[] tokens = {"session-1", "session-2"};
        int[] logins = {0};
        route("/api/v1/session", (ex, body) -> respond(ex, 200, "{\"token\":\"" + tokens[logins[0]++] + "\"}"));
        route("/api/v1/applications/guestbook", (ex, body) -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if ("Bearer session-1".equals(auth)) {
                respond(ex, 401, error(16, "invalid session: token is expired"));
            } else {
                respond(ex, 200, AppState.syncedHealthy(NEW).json());
            }
        });

        var app = client(new ArgoCdCredentials.Login("jenkins", "pw-123")).get(ApplicationRef.of("guestbook"), Refresh.NONE)
                .join();

        assertThat(app.name()).isEqualTo("guestbook");
        assertThat(seen).extracting(Seen::uri, Seen::authorization).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/api/v1/session", null),
                org.assertj.core.groups.Tuple.tuple("/api/v1/applications/guestbook", "Bearer session-1"),
                org.assertj.core.groups.Tuple.tuple("/api/v1/session", null),
                org.assertj.core.groups.Tuple.tuple("/api/v1/applications/guestbook", "Bearer session-2"));
        assertThat(seen).filteredOn(request -> request.uri().equals("/api/v1/session")).extracting(Seen::body)
                .allSatisfy(login -> assertThat(login).contains("\"username\":\"jenkins\"", "\"password\":\"pw-123\""));
    }

    @Test
    void expiredFixedTokenFailsWithAHintAndWithoutRetrying() {
        route("/api/v1/applications/guestbook",
                (ex, body) -> respond(ex, 401, error(16, "invalid session: token is expired")));
        assertThat(failureOf(() -> client(new ArgoCdCredentials.Token(SECRET)).get(ApplicationRef.of("guestbook"),
                        Refresh.NONE).join()))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("token has expired")
                .hasMessageNotContaining(SECRET);
        assertThat(seen).hasSize(1);
    }

    @Test
    void wrongPasswordFailsAuthenticationWithoutShowingIt() {
        route("/api/v1/session", (ex, body) -> respond(ex, 401, error(16, "Invalid username or password")));
        assertThat(failureOf(() -> client(new ArgoCdCredentials.Login("jenkins", "pw-123")).userInfo().join()))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("Invalid username or password")
                .hasMessageNotContaining("pw-123");
    }

    @Test
    void overridesKustomizeImageByPuttingTheWholeEditedSpec() throws Exception {
        String app = """
                {"metadata":{"name":"guestbook"},
                 "spec":{"project":"default","destination":{"namespace":"guestbook"},
                         "source":{"repoURL":"r","path":"p","targetRevision":"main",
                                   "kustomize":{"images":["ghcr.io/org/api:1.0","ghcr.io/org/ui:2.0"]}}}}""";
        route("/api/v1/applications/guestbook", (ex, body) -> respond(ex, 200, app));
        route("/api/v1/applications/guestbook/spec", (ex, body) -> respond(ex, 200, body));
        var override = new SpecOverride(List.of("ghcr.io/org/ui:2.1"), List.of(), null);

        boolean changed = client(new ArgoCdCredentials.Token(SECRET)).override(ApplicationRef.of("guestbook"), override)
                .join();

        assertThat(changed).isTrue();
        Seen put = seen.get(1);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.uri()).isEqualTo("/api/v1/applications/guestbook/spec?validate=true");
        assertThat(ApplicationJson.mapper().readTree(put.body())).isEqualTo(ApplicationJson.mapper().readTree("""
                {"project":"default","destination":{"namespace":"guestbook"},
                 "source":{"repoURL":"r","path":"p","targetRevision":"main",
                           "kustomize":{"images":["ghcr.io/org/api:1.0","ghcr.io/org/ui:2.1"]}}}"""));
    }

    @Test
    void overrideAlreadyInPlaceWritesNothing() {
        route("/api/v1/applications/guestbook", (ex, body) -> respond(ex, 200, """
                {"metadata":{"name":"guestbook"},"spec":{"source":{"kustomize":{"images":["ghcr.io/org/ui:2.1"]}}}}"""));
        boolean changed = client(new ArgoCdCredentials.Token(SECRET))
                .override(ApplicationRef.of("guestbook"), new SpecOverride(List.of("ghcr.io/org/ui:2.1"), null, null))
                .join();
        assertThat(changed).isFalse();
        assertThat(seen).extracting(Seen::method).containsExactly("GET");
    }

    @Test
    void watchDeliversNewlineDelimitedEventsThenTheErrorChunkWithoutTrailingNewline() throws Exception {
        route("/api/v1/stream/applications", (ex, body) -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(("{\"result\":{\"type\":\"ADDED\",\"application\":" + AppState.syncedHealthy(NEW).resourceVersion("7")
                    .json() + "}}\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write(("{\"result\":{\"type\":\"MODIFIED\",\"application\":" + AppState.syncedHealthy(NEW)
                    .resourceVersion("8").json() + "}}\n").getBytes(StandardCharsets.UTF_8));
            out.write("{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"connection closed\",\"http_status\":\"Service Unavailable\"}}"
                    .getBytes(StandardCharsets.UTF_8));
        });
        Recorder recorder = new Recorder();

        client(new ArgoCdCredentials.Token(SECRET)).watch(new ApplicationRef("guestbook", "argocd", null), "6", recorder);

        assertThat(recorder.closed.poll(30, TimeUnit.SECONDS)).isInstanceOf(ServerUnavailableException.class)
                .hasMessageContaining("connection closed");
        assertThat(recorder.events).extracting(e -> e.type() + "@" + e.application().metadata().resourceVersion())
                .containsExactly("ADDED@7", "MODIFIED@8");
        assertThat(seen.get(0).uri()).isEqualTo("/api/v1/stream/applications?name=guestbook&appNamespace=argocd&resourceVersion=6");
    }

    @Test
    void watchReportsPlainEndOfStreamAsCloseWithoutError() throws Exception {
        route("/api/v1/stream/applications", (ex, body) -> {
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(("{\"result\":{\"type\":\"ADDED\",\"application\":"
                    + AppState.syncedHealthy(NEW).json() + "}}\n").getBytes(StandardCharsets.UTF_8));
        });
        Recorder recorder = new Recorder();
        client(new ArgoCdCredentials.Token(SECRET)).watch(ApplicationRef.of("guestbook"), null, recorder);

        assertThat(recorder.closed.poll(30, TimeUnit.SECONDS)).isEqualTo(Recorder.NO_ERROR);
        assertThat(recorder.events).hasSize(1);
    }

    @Test
    void watchRefusedWithHttpErrorReportsTheTypedError() throws Exception {
        route("/api/v1/stream/applications", (ex, body) -> respond(ex, 403, error(7, "permission denied")));
        Recorder recorder = new Recorder();
        client(new ArgoCdCredentials.Token(SECRET)).watch(ApplicationRef.of("guestbook"), null, recorder);
        assertThat(recorder.closed.poll(30, TimeUnit.SECONDS)).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void closingAWatchStopsItWithoutReportingAnEnd() throws Exception {
        var release = new java.util.concurrent.CountDownLatch(1);
        route("/api/v1/stream/applications", (ex, body) -> {
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(("{\"result\":{\"type\":\"ADDED\",\"application\":"
                    + AppState.syncedHealthy(NEW).json() + "}}\n").getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Recorder recorder = new Recorder();
        WatchHandle handle = client(new ArgoCdCredentials.Token(SECRET)).watch(ApplicationRef.of("guestbook"), null,
                recorder);
        assertThat(recorder.firstEvent.poll(30, TimeUnit.SECONDS)).isNotNull();

        handle.close();
        release.countDown();

        assertThat(recorder.closed.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    private static final class Recorder implements WatchListener {
        static final Throwable NO_ERROR = new Throwable("no error");
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final BlockingQueue<WatchEvent> firstEvent = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> closed = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
            firstEvent.add(event);
        }

        @Override
        public void onClosed(Throwable error) {
            closed.add(error == null ? NO_ERROR : error);
        }
    }
}
