package io.jenkins.plugins.gitops.core.argocd;

import static io.jenkins.plugins.gitops.core.argocd.AppState.NEW;
import static io.jenkins.plugins.gitops.core.argocd.AppState.OLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.gitops.core.testing.argocd.FakeApplication;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer on the wait path that is not what the API defines (an empty 200, {@code null}, malformed JSON, JSON of
 * the wrong type) ends the wait at once with an error that names the call, instead of waiting silently until the
 * timeout. The waits time out after 5 minutes; each test allows {@value #BOUND_SECONDS} s for the failure to arrive.
 */
class WaitPathAnswersTest {

    private static final long BOUND_SECONDS = 20;
    private static final String APP_PATH = "/api/v1/applications/guestbook";

    private static ScheduledExecutorService scheduler;
    private static ExecutorService httpExecutor;
    private static HttpClient http;

    private FakeArgoCd argo;
    private FakeApplication app;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPools() {
        scheduler = Executors.newScheduledThreadPool(2);
        httpExecutor = Executors.newFixedThreadPool(2);
        http = HttpClient.newBuilder().executor(httpExecutor).build();
    }

    @AfterAll
    static void stopPools() {
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
    }

    @BeforeEach
    void startArgo() {
        argo = FakeArgoCd.start().setRevision("main", OLD);
        app = argo.createApp("guestbook");
        argo.setRevision("main", NEW);
    }

    @AfterEach
    void stopArgo() {
        argo.close();
    }

    /** Bodies that are not an Application, each answered with status 200. */
    static Stream<Arguments> notAnApplication() {
        return Stream.of(
                Arguments.of("an empty body", "", "empty body"),
                Arguments.of("null", "null", "null"),
                Arguments.of("malformed JSON", "{\"metadata\":{\"name\":", "did not answer with JSON"),
                Arguments.of("an array", "[]", "array"),
                Arguments.of("a string", "\"guestbook\"", "string"),
                Arguments.of("a number", "42", "number"),
                Arguments.of("an object without a name", "{}", "no metadata.name"),
                Arguments.of("metadata of the wrong type", "{\"metadata\":\"guestbook\"}", "not an Application"),
                Arguments.of("status of the wrong type", "{\"metadata\":{\"name\":\"guestbook\"},\"status\":[1]}",
                        "not an Application"));
    }

    @ParameterizedTest(name = "first read answered with {0}")
    @MethodSource("notAnApplication")
    void theFirstReadEndsTheWaitAtOnce(String name, String body, String said) throws Exception {
        argo.faults().answerRequests("GET", APP_PATH, 1, 200, "application/json", body);

        Throwable failure = failureOf(start());

        assertThat(failure).isInstanceOf(UnexpectedAnswerException.class)
                .hasMessageContaining("reading application guestbook").hasMessageContaining(said);
    }

    @ParameterizedTest(name = "sync answered with {0}")
    @MethodSource("notAnApplication")
    void theSyncCallEndsTheWaitAtOnce(String name, String body, String said) throws Exception {
        argo.faults().answerRequests("POST", APP_PATH + "/sync", 1, 200, "application/json", body);

        Throwable failure = failureOf(start());

        assertThat(failure).isInstanceOf(UnexpectedAnswerException.class)
                .hasMessageContaining("syncing application guestbook").hasMessageContaining(said);
    }

    @ParameterizedTest(name = "a read while waiting answered with {0}")
    @MethodSource("notAnApplication")
    void aReadWhileWaitingEndsTheWaitAtOnce(String name, String body, String said) throws Exception {
        argo.faults().streamsUnavailable(404); // so that the wait reads the app every 50 ms
        app.holdOperations();
        CompletableFuture<SyncResult> waiting = start();
        awaitProgress("sync operation Running");
        argo.faults().answerRequests("GET", APP_PATH, 1, 200, "application/json", body);

        Throwable failure = failureOf(waiting);

        assertThat(failure).isInstanceOf(UnexpectedAnswerException.class)
                .hasMessageContaining("reading application guestbook").hasMessageContaining(said);
    }

    static Stream<Arguments> notAnEvent() {
        return Stream.of(
                Arguments.of("null", "null"),
                Arguments.of("malformed JSON", "{\"result\":{\"type\":"),
                Arguments.of("an array", "[]"),
                Arguments.of("a result of the wrong type", "{\"result\":\"MODIFIED\"}"),
                Arguments.of("no type", "{\"result\":{\"application\":{}}}"),
                Arguments.of("a null application", "{\"result\":{\"type\":\"MODIFIED\",\"application\":null}}"),
                Arguments.of("an application of the wrong type", "{\"result\":{\"type\":\"MODIFIED\",\"application\":[]}}"),
                Arguments.of("an application without a name", "{\"result\":{\"type\":\"MODIFIED\",\"application\":{}}}"));
    }

    @ParameterizedTest(name = "a watch event that is {0}")
    @MethodSource("notAnEvent")
    void aWatchEventThatIsNotOneEndsTheWaitAtOnce(String name, String line) throws Exception {
        app.holdOperations();
        argo.faults().corruptStreams(1, 1, line);

        Throwable failure = failureOf(start());

        assertThat(failure).isInstanceOf(UnexpectedAnswerException.class)
                .hasMessageContaining("watching application guestbook");
    }

    @Test
    void anExceptionInACompletionCallbackEndsTheWaitAtOnce() throws Exception {
        // A backend that breaks its contract: the waiter's own callback then throws (a NullPointerException).
        ApplicationBackend broken = new ApplicationBackend() {
            @Override
            public String describe() {
                return "a broken backend";
            }

            @Override
            public CompletableFuture<Application> get(ApplicationRef ref, Refresh refresh) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Application> sync(ApplicationRef ref, SyncRequest request) {
                throw new AssertionError("never reached");
            }

            @Override
            public WatchHandle watch(ApplicationRef ref, String fromResourceVersion, WatchListener listener) {
                return () -> {};
            }

            @Override
            public CompletableFuture<Void> terminate(ApplicationRef ref) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Boolean> override(ApplicationRef ref, SpecOverride override) {
                return CompletableFuture.completedFuture(false);
            }
        };

        Throwable failure = failureOf(new SyncWaiter(broken, scheduler).start(request(), progress::add));

        assertThat(failure).isInstanceOf(ArgoCdException.class)
                .hasMessageStartingWith("waiting for guestbook failed: java.lang.NullPointerException");
    }

    private CompletableFuture<SyncResult> start() {
        ArgoCdClient client = new ArgoCdClient(argo.uri(),
                new ArgoCdCredentials.Token(argo.issueToken(FakeArgoCd.USERNAME)), http);
        SyncWaiter.Settings fast = SyncWaiter.Settings.defaults()
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withPollInterval(Duration.ofMillis(50));
        return new SyncWaiter(client, scheduler, java.time.Clock.systemUTC(), fast).start(request(), progress::add);
    }

    private static WaitRequest request() {
        return WaitRequest.of(ApplicationRef.of("guestbook"), Duration.ofMinutes(5)).withExpectedRevision(NEW);
    }

    /** The failure the wait ends with, within the bound; a wait that hangs fails the test with a TimeoutException. */
    private static Throwable failureOf(CompletableFuture<SyncResult> waiting) throws Exception {
        Throwable thrown = catchThrowable(() -> waiting.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertThat(thrown).as("the wait ends with an error within %d s", BOUND_SECONDS)
                .isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    private void awaitProgress(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (progress.stream().noneMatch(line -> line.contains(text))) {
            assertThat(System.nanoTime()).as("progress %s shows '%s'", progress, text).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
