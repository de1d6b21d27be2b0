package io.jenkins.plugins.gitops.core.argocd;

import static io.jenkins.plugins.gitops.core.argocd.AppState.NEW;
import static io.jenkins.plugins.gitops.core.argocd.AppState.OLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeApplication;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.argocd.RecordedRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync-and-wait end to end against the contract-validated fake Argo CD, one behaviour or fault per test. */
class SyncWaiterTest {

    /** Bounds every wait; never reached unless something is broken (a real outcome comes much sooner). */
    private static final Duration GENEROUS = Duration.ofSeconds(60);
    private static final String SYNC_PATH = "/api/v1/applications/guestbook/sync";
    private static final String STREAM_PATH = "/api/v1/stream/applications";

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
        // The commit just pushed: Argo CD has not seen it yet.
        argo.setRevision("main", NEW);
    }

    @AfterEach
    void stopArgo() {
        argo.close();
    }

    private ArgoCdClient client() {
        return new ArgoCdClient(argo.uri(), new ArgoCdCredentials.Token(argo.issueToken(FakeArgoCd.USERNAME)), http);
    }

    private static SyncWaiter.Settings fast() {
        return SyncWaiter.Settings.defaults()
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withPollInterval(Duration.ofMillis(50));
    }

    private SyncWaiter waiter(ApplicationBackend backend) {
        return new SyncWaiter(backend, scheduler, java.time.Clock.systemUTC(), fast());
    }

    /** Starts a wait whose operation stays Running until {@code app.releaseOperation()}; returns once it runs. */
    private CompletableFuture<SyncResult> startHeld(SyncWaiter waiter) {
        app.holdOperations();
        CompletableFuture<SyncResult> waiting = waiter.start(request(), progress::add);
        awaitProgress("sync operation Running");
        return waiting;
    }

    private SyncResult released(CompletableFuture<SyncResult> waiting) {
        app.releaseOperation();
        return waiting.orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static WaitRequest request() {
        return WaitRequest.of(ApplicationRef.of("guestbook"), GENEROUS).withExpectedRevision(NEW);
    }

    private SyncResult await(WaitRequest request) {
        return await(client(), request);
    }

    private SyncResult await(ApplicationBackend backend, WaitRequest request) {
        return waiter(backend).start(request, progress::add).orTimeout(GENEROUS.toSeconds() * 2, TimeUnit.SECONDS)
                .join();
    }

    private Throwable failureOf(WaitRequest request) {
        Throwable e = catchThrowable(() -> await(request));
        assertThat(e).as("the wait must fail").isNotNull();
        return e.getCause() != null ? e.getCause() : e;
    }

    private List<RecordedRequest> syncs() {
        return argo.requests("POST", SYNC_PATH);
    }

    // ---- done-conditions ---------------------------------------------------------------------------------

    @Test
    void syncsAndWaitsUntilSyncedAndHealthyAtThePushedCommit() {
        SyncResult result = await(request());

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(result.revision()).isEqualTo(NEW);
        Application last = result.application();
        assertThat(last.operation()).isNull();
        assertThat(last.status().operationState().phase()).isEqualTo(OperationPhase.Succeeded);
        assertThat(last.status().operationState().revision()).isEqualTo(NEW);
        assertThat(last.status().reconciledAt()).isAfterOrEqualTo(last.status().operationState().finishedAt());
        assertThat(last.status().health().status()).isEqualTo(HealthStatusCode.Healthy);
        assertThat(syncs()).singleElement().satisfies(sync -> assertThat(sync.bodyJson().path("infos").get(0)
                .path("name").asText()).isEqualTo(SyncWaiter.MARKER_NAME));
        assertThat(argo.requests("GET", "/api/v1/applications/guestbook").get(0).queryParam("refresh"))
                .isEqualTo("normal");
    }

    @Test
    void alreadyDeployedCommitReturnsAtOnceWithoutSyncing() {
        argo.setRevision("main", OLD);

        SyncResult result = await(request().withExpectedRevision(OLD));

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(result.message()).startsWith("already synced");
        assertThat(syncs()).isEmpty();
        assertThat(argo.requests("GET", STREAM_PATH)).isEmpty();
    }

    @Test
    void staleSucceededOperationForTheOlderCommitNeverCountsAsDone() {
        argo.setRevision("main", OLD);
        assertThat(await(request().withExpectedRevision(OLD).withTrigger(WaitRequest.Trigger.SYNC)).outcome())
                .isEqualTo(SyncResult.Outcome.SYNCED);
        argo.setRevision("main", NEW);
        // Synced, Healthy, Succeeded: all green, but for OLD. Only waiting (no sync), so nothing can deploy NEW.
        SyncResult result = await(request().withTrigger(WaitRequest.Trigger.WAIT_ONLY).withTimeout(Duration.ofSeconds(1)));

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.TIMED_OUT);
        assertThat(result.message()).contains("the last operation deployed revision " + OLD)
                .contains("waiting for one deploying " + NEW);
    }

    @Test
    void autoSyncAppIsRefreshedAndLeftToSyncItself() {
        argo.setRevision("main", OLD);
        app.automated(true);
        argo.setRevision("main", NEW);

        SyncResult result = await(request());

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(result.revision()).isEqualTo(NEW);
        assertThat(syncs()).isEmpty();
        assertThat(result.application().status().operationState().operation().initiatedBy().automated()).isTrue();
    }

    @Test
    void healthOutsideTheAcceptedSetKeepsWaitingAndAcceptedOneCompletes() {
        app.degradedAfterSync("Back-off pulling image");

        SyncResult result = await(request().withAcceptedHealth(Set.of(HealthStatusCode.Healthy, HealthStatusCode.Degraded)));

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(result.message()).endsWith("Degraded");
    }

    @Test
    void slowReconcileAfterTheOperationIsWaitedFor() throws InterruptedException {
        app.reconcileLag(Duration.ofMillis(700));
        CompletableFuture<SyncResult> waiting = startHeld(waiter(client()));
        // Timestamps have second resolution: only an operation that finishes in a later second than the last
        // reconcile can be told apart from it (Argo CD's own wait counts an equal second as reconciled).
        long second = java.time.Instant.now().getEpochSecond();
        while (java.time.Instant.now().getEpochSecond() == second) {
            Thread.sleep(20);
        }

        SyncResult result = released(waiting);

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        Application last = result.application();
        assertThat(last.status().reconciledAt()).isAfterOrEqualTo(last.status().operationState().finishedAt());
        assertThat(progress).contains("sync operation succeeded; waiting for the controller to compare the live state again");
    }

    @Test
    void dryRunIsDoneWhenItsOperationSucceeded() {
        SyncResult result = await(request().withSync(SyncRequest.defaults().withDryRun(true)));

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(syncs()).singleElement().satisfies(s -> assertThat(s.bodyJson().path("dryRun").asBoolean()).isTrue());
    }

    @Test
    void noWaitReturnsOnceTheSyncIsStarted() {
        SyncResult result = await(request().withAwaitResult(false));

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.STARTED);
        assertThat(result.message()).isEqualTo("sync started at revision " + NEW);
        assertThat(argo.requests("GET", STREAM_PATH)).isEmpty();
    }

    // ---- failures ----------------------------------------------------------------------------------------

    @Test
    void failedOperationFailsFastNamingTheFailedResources() {
        app.nextSyncFails("one or more objects failed to apply");

        SyncResult result = await(request());

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
        assertThat(result.message()).isEqualTo("sync operation Failed: one or more objects failed to apply");
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo("Deployment");
            assertThat(p.state()).isEqualTo("SyncFailed");
        });
    }

    @Test
    void erroredOperationFails() {
        app.nextSyncErrors("rpc error: repository not accessible");

        SyncResult result = await(request());

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
        assertThat(result.message()).isEqualTo("sync operation Error: rpc error: repository not accessible");
    }

    @Test
    void transitionToDegradedFailsFastNamingTheResourceAndItsMessage() {
        app.degradedAfterSync("Back-off pulling image \"ghcr.io/example-org/guestbook:9.9.9\"");

        SyncResult result = await(request());

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
        assertThat(result.message()).startsWith("application health is Degraded");
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.state()).isEqualTo("Degraded");
            assertThat(p.message()).contains("Back-off pulling image");
        });
    }

    @Test
    void timeoutTerminatesTheRunningOperationWhenAsked() throws Exception {
        app.holdOperations();

        SyncResult result = await(request().withTimeout(Duration.ofSeconds(1)).withTerminateOnTimeout(true));

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.TIMED_OUT);
        assertThat(result.operationTerminated()).isTrue();
        assertThat(result.message()).startsWith("timed out after 1 s waiting for guestbook: sync operation Running")
                .endsWith("; the operation was terminated");
        assertThat(argo.requests("DELETE", "/api/v1/applications/guestbook/operation")).hasSize(1);
        app.await(json -> "Failed".equals(json.path("status").path("operationState").path("phase").asText()), GENEROUS);
    }

    @Test
    void timeoutBeforeTheControllerStartedOurSyncTerminatesItOnceStarted() throws Exception {
        app.holdOperationStarts().holdOperations();
        // The timeout must hit after the sync was requested (the first read of a cold JVM can take a second).
        CompletableFuture<SyncResult> waiting = waiter(client()).start(
                request().withTimeout(Duration.ofSeconds(5)).withTerminateOnTimeout(true), progress::add);
        // Argo CD refuses to terminate an operation its controller has not started: "No operation is in progress".
        awaitCondition(() -> !argo.requests("DELETE", "/api/v1/applications/guestbook/operation").isEmpty());
        assertThat(waiting).as("a refused terminate is not reported as done").isNotDone();

        app.startHeldOperation();

        SyncResult result = waiting.orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.TIMED_OUT);
        assertThat(result.message()).endsWith("; the operation was terminated");
        assertThat(result.operationTerminated()).isTrue();
        assertThat(argo.requests("DELETE", "/api/v1/applications/guestbook/operation")).hasSizeGreaterThanOrEqualTo(2);
        var state = app.await(json -> "Failed".equals(json.path("status").path("operationState").path("phase").asText()),
                GENEROUS).path("status").path("operationState");
        assertThat(state.path("message").asText()).isEqualTo("Operation terminated");
        assertThat(state.path("startedAt").asText()).as("the controller had started it").isNotEmpty();
    }

    @Test
    void operationTheControllerNeverStartsIsReportedAsNotTerminated() throws Exception {
        app.holdOperationStarts();
        SyncWaiter waiter = new SyncWaiter(client(), scheduler, java.time.Clock.systemUTC(),
                // A grace long enough that a slow answer on a loaded machine does not end the last attempt early.
                fast().withTerminateGrace(Duration.ofSeconds(2)));

        SyncResult result = waiter.start(request().withTimeout(Duration.ofSeconds(5)).withTerminateOnTimeout(true),
                progress::add).orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS).join();

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.TIMED_OUT);
        assertThat(result.operationTerminated()).isFalse();
        assertThat(result.message()).startsWith("timed out after 5 s waiting for guestbook: sync requested; waiting"
                + " for the controller to start it").endsWith("; the operation could not be terminated: Argo CD had not"
                + " started it within 2 s, and may still run it");
        // It does: once the controller picks it up, it deploys.
        app.startHeldOperation();
        app.await(json -> "Succeeded".equals(json.path("status").path("operationState").path("phase").asText()), GENEROUS);
    }

    @Test
    void timeoutWithoutTerminateLeavesTheOperationRunning() {
        app.holdOperations();

        SyncResult result = await(request().withTimeout(Duration.ofMillis(800)));

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.TIMED_OUT);
        assertThat(result.operationTerminated()).isFalse();
        assertThat(argo.requests("DELETE", "/api/v1/applications/guestbook/operation")).isEmpty();
        ObjectNode after = app.json();
        assertThat(after.path("operation").isObject()).as("operation still requested: %s", after).isTrue();
        assertThat(after.path("status").path("operationState").path("phase").asText()).isEqualTo("Running");
    }

    @Test
    void syncRefusedByArgoCdEndsTheWaitWithTheServersMessage() {
        app.blockedBySyncWindow(true);

        assertThat(failureOf(request())).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("cannot sync: blocked by sync window");
    }

    // ---- another operation -------------------------------------------------------------------------------

    @Test
    void operationAlreadyRunningThatDeploysOurCommitIsWaitedForAndNotRepeated() {
        app.holdOperations().startOperation("alice");
        CompletableFuture<SyncResult> waiting = waiter(client()).start(request(), progress::add);
        awaitProgress("another operation is in progress (started by alice); waiting for it to end");

        app.releaseOperation();

        SyncResult result = waiting.orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(progress).contains("the other operation deployed " + NEW);
        assertThat(syncs()).isEmpty();
    }

    @Test
    void operationAlreadyRunningForAnOlderCommitIsFollowedByOurSync() {
        argo.setRevision("main", OLD);
        app.holdOperations().startOperation("alice");
        argo.setRevision("main", NEW);
        CompletableFuture<SyncResult> waiting = waiter(client()).start(request(), progress::add);
        awaitProgress("another operation is in progress (started by alice); waiting for it to end");

        app.releaseOperation();

        SyncResult result = waiting.orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(result.revision()).isEqualTo(NEW);
        assertThat(syncs()).hasSize(1);
    }

    @Test
    void anotherOperationInProgressAnswerMakesItWaitAndSyncAgain() {
        argo.faults().rejectRequests("POST", SYNC_PATH, 1, 9, "another operation is already in progress");

        SyncResult result = await(request());

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(syncs()).hasSize(2);
    }

    @Test
    void lostAnswerToOurSyncIsRecognisedByItsMarkerAndNotRepeated() {
        ArgoCdClient client = client();
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        ApplicationBackend answerLostOnce = new ApplicationBackend() {
            @Override
            public String describe() {
                return client.describe();
            }

            @Override
            public CompletableFuture<Application> get(ApplicationRef ref, Refresh refresh) {
                return client.get(ref, refresh);
            }

            @Override
            public CompletableFuture<Application> sync(ApplicationRef ref, SyncRequest request) {
                CompletableFuture<Application> sent = client.sync(ref, request);
                if (lost.compareAndSet(false, true)) {
                    return sent.thenCompose(accepted -> CompletableFuture.failedFuture(
                            new ServerUnavailableException(0, null, "connection reset", null)));
                }
                return sent;
            }

            @Override
            public WatchHandle watch(ApplicationRef ref, String fromResourceVersion, WatchListener listener) {
                return client.watch(ref, fromResourceVersion, listener);
            }

            @Override
            public CompletableFuture<Void> terminate(ApplicationRef ref) {
                return client.terminate(ref);
            }

            @Override
            public CompletableFuture<Boolean> override(ApplicationRef ref, SpecOverride override) {
                return client.override(ref, override);
            }
        };
        CompletableFuture<SyncResult> waiting = startHeld(waiter(answerLostOnce));

        SyncResult result = released(waiting);

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(syncs()).hasSize(2);
        assertThat(app.operationsStarted()).isEqualTo(1);
    }

    @Test
    void waitResumedWithTheSameOperationIdFollowsItsOperationInsteadOfSyncingAgain() {
        CompletableFuture<SyncResult> first = startHeld(waiter(client()));
        String id = syncs().get(0).bodyJson().path("infos").get(0).path("value").asText();
        first.cancel(false); // e.g. Jenkins restarted while waiting

        CompletableFuture<SyncResult> resumed = waiter(client()).start(request().withOperationId(id), progress::add);
        awaitProgress("resuming: the operation " + id + " was started by this wait before");

        SyncResult result = released(resumed);
        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(syncs()).hasSize(1);
    }

    // ---- faults ------------------------------------------------------------------------------------------

    @Test
    void invalidTokenEndsTheWaitWithAuthenticationFailed() {
        ArgoCdClient client = new ArgoCdClient(argo.uri(), new ArgoCdCredentials.Token("not-a-jwt"), http);

        Throwable failure = catchThrowable(() -> await(client, request()));

        assertThat(failure.getCause()).isInstanceOf(AuthenticationFailedException.class)
                .hasMessageNotContaining("not-a-jwt");
    }

    @Test
    void forbiddenAppEndsTheWaitWithPermissionDenied() {
        app.forbidden(true);

        assertThat(failureOf(request())).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("permission denied");
    }

    @Test
    void missingAppInAProjectEndsTheWaitWithNotFound() {
        WaitRequest request = new WaitRequest(new ApplicationRef("nope", null, "default"), NEW, null, null, null,
                GENEROUS, false, true, null);

        assertThat(failureOf(request)).isInstanceOf(ApplicationNotFoundException.class)
                .hasMessageContaining("\"nope\" not found");
    }

    @Test
    void burstOfServerErrorsIsRetriedThrough() {
        argo.faults().failNext(3, 503, "the server is overloaded");

        SyncResult result = await(request());

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(progress).anyMatch(line -> line.startsWith("Argo CD call failed, retrying"));
    }

    @Test
    void proxyErrorPagesAreRetriedThrough() {
        argo.faults().proxyErrors(2, 502);

        SyncResult result = await(request());

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(progress).as("the error pages were served").anyMatch(line -> line.startsWith("Argo CD call failed, retrying"));
    }

    @Test
    void streamDroppedMidWaitIsReopenedAtAResourceVersionNeverOlderThanBefore() {
        argo.faults().dropStreams(2, 1);
        CompletableFuture<SyncResult> waiting = startHeld(waiter(client()));
        awaitCondition(() -> argo.requests("GET", STREAM_PATH).size() >= 3);

        SyncResult result = released(waiting);

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        List<RecordedRequest> streams = argo.requests("GET", STREAM_PATH);
        assertThat(streams.size()).isGreaterThanOrEqualTo(3);
        assertThat(streams).allSatisfy(s -> assertThat(s.queryParam("resourceVersion")).isNotEmpty());
        List<Long> versions = streams.stream().map(s -> Long.parseLong(s.queryParam("resourceVersion"))).toList();
        assertThat(versions).as("each reopened stream resumes from what the waiter has seen").isSorted();
    }

    @Test
    void streamEndingWithAnErrorChunkIsReopened() {
        argo.faults().breakStreams(1, 1, 14, "transport is closing");
        CompletableFuture<SyncResult> waiting = startHeld(waiter(client()));
        awaitCondition(() -> argo.requests("GET", STREAM_PATH).size() >= 2);

        SyncResult result = released(waiting);

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(argo.requests("GET", STREAM_PATH).size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void outageOfArgoCdMidWaitIsWaitedOutBeyondTheCallRetries() {
        argo.faults().streamsUnavailable(503);
        CompletableFuture<SyncResult> waiting = startHeld(waiter(client()));
        awaitProgress("the watch stream keeps failing");

        // More failures in a row than the first read or the sync would tolerate.
        argo.faults().failRequests("GET", "/api/v1/applications/guestbook", 12, 503, "argocd-server restarting");
        awaitCondition(() -> progress.stream().anyMatch(line -> line.contains("argocd-server restarting")));

        SyncResult result = released(waiting);
        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
    }

    @Test
    void streamingUnavailableFallsBackToPolling() {
        argo.faults().streamsUnavailable(404);

        SyncResult result = await(request());

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(progress).anyMatch(line -> line.startsWith("the watch stream keeps failing"));
    }

    @Test
    void aStreamThatStaysOpenButFallsSilentIsCoveredByReadingTheApplication() {
        argo.faults().silenceStreams(100, 1); // every stream: its first event, then keepalives only
        SyncWaiter safetyReads = new SyncWaiter(client(), scheduler, java.time.Clock.systemUTC(),
                fast().withQuietStreamReads(Duration.ofMillis(100), Duration.ofMillis(200)));
        int readsBefore = argo.requests("GET", "/api/v1/applications/guestbook").size();

        SyncResult result = safetyReads.start(request(), progress::add).orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS).join();

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(argo.requests("GET", "/api/v1/applications/guestbook").size() - readsBefore)
                .as("reads beyond the first: the outcome came from them, the stream sent none").isGreaterThanOrEqualTo(2);
        assertThat(argo.faults().fired()).as("a stream fell silent").contains("Silent[afterEvents=1]");
        argo.faults().clear(); // armed for every stream the wait might have opened
    }

    @Test
    void streamWithoutHeadersUntilTheFirstEventStillDeliversTheOutcome() {
        argo.faults().withholdInitialStreamEvent(1).delayStreamHeaders(Duration.ofMillis(300));

        SyncResult result = await(request());

        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(argo.faults().fired()).contains("initial event withheld");
    }

    @Test
    void expiredSessionIsRenewedByLoggingInAgain() {
        ArgoCdClient client = new ArgoCdClient(argo.uri(),
                new ArgoCdCredentials.Login(FakeArgoCd.USERNAME, FakeArgoCd.PASSWORD), http);
        SyncWaiter frequentReads = new SyncWaiter(client, scheduler, java.time.Clock.systemUTC(),
                fast().withQuietStreamReads(Duration.ofMillis(100), Duration.ofMillis(100)));
        CompletableFuture<SyncResult> waiting = startHeld(frequentReads);

        argo.expireAllTokens();
        awaitCondition(() -> argo.requests("POST", "/api/v1/session").size() >= 2);

        SyncResult result = released(waiting);
        assertThat(result.outcome()).as(result.message()).isEqualTo(SyncResult.Outcome.SYNCED);
    }

    @Test
    void appDeletedMidWaitEndsTheWaitWithNotFound() {
        CompletableFuture<SyncResult> waiting = startHeld(waiter(client()));

        app.delete();

        Throwable failure = catchThrowable(() -> waiting.orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS).join());
        assertThat(failure.getCause()).isInstanceOf(ApplicationNotFoundException.class)
                .hasMessageContaining("was deleted");
    }

    // ---- progress and concurrency ------------------------------------------------------------------------

    @Test
    void progressIsReportedOncePerChange() {
        app.preSyncHook("db-migrate");

        await(request());

        assertThat(progress).anyMatch(line -> line.contains("Job/guestbook/db-migrate sync"));
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i)).as("line %d repeats the previous one", i).isNotEqualTo(progress.get(i - 1));
        }
    }

    @Test
    void manyConcurrentWaitsAllFinishOnATwoThreadScheduler() {
        int count = 20;
        List<CompletableFuture<SyncResult>> waits = new ArrayList<>();
        SyncWaiter waiter = waiter(client());
        for (int i = 0; i < count; i++) {
            String name = "app-" + i;
            argo.createApp(name);
            waits.add(waiter.start(WaitRequest.of(ApplicationRef.of(name), GENEROUS).withExpectedRevision(NEW), null));
        }

        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).orTimeout(GENEROUS.toSeconds(), TimeUnit.SECONDS)
                .join();

        assertThat(waits).allSatisfy(w -> assertThat(w.join().outcome()).isEqualTo(SyncResult.Outcome.SYNCED));
    }

    /** Waits (bounded) until the waiter reported a line starting with {@code prefix}. */
    private void awaitProgress(String prefix) {
        awaitCondition(() -> progress.stream().anyMatch(line -> line.startsWith(prefix)));
    }

    /** Polls {@code condition} until true, failing after {@link #GENEROUS}. */
    private void awaitCondition(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s; progress so far: %s", GENEROUS, progress)
                    .isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
