package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.DurationText;
import io.jenkins.plugins.gitops.core.argocd.Application.Info;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Syncs an Argo CD application and waits until it runs the expected commit, Synced and with an accepted health.
 *
 * <p>What {@code argocd app sync && argocd app wait} does, without its races:
 * <ol>
 *   <li>read the app with a refresh, so Argo CD sees the new commit without waiting for its git poll; if it is
 *       already done at the expected revision, return at once;</li>
 *   <li>start a sync (not for auto-sync apps: those sync themselves), marked with a unique {@code operation.info}
 *       pair so that only our operation can count; "another operation is already in progress" means: wait for that
 *       operation to end, return if it deployed our commit, else sync again;</li>
 *   <li>follow the watch stream (resuming from the last resourceVersion after a drop, with a short backoff; polling
 *       when streaming keeps failing; a slow safety read against a silently dead stream) and evaluate every state
 *       with {@link DoneCondition};</li>
 *   <li>end with {@link SyncResult}: Synced, Failed (naming the resources), or timed out with the last state awaited,
 *       optionally terminating the operation.</li>
 * </ol>
 *
 * <p>Every progress line passes through {@link Redaction} before the listener sees it.
 *
 * <p>No thread is held while waiting: every step runs as a short task on the shared scheduler, and the backend is
 * asynchronous. Hundreds of waits share the few threads of one {@link ScheduledExecutorService}.
 */
public final class SyncWaiter {

    /** Name of the {@code operation.info} pair that marks the operations this waiter starts. */
    public static final String MARKER_NAME = "gitops-deploy-sync";

    private final ApplicationBackend backend;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Settings settings;

    /**
     * @param backend where the application lives
     * @param scheduler runs all steps of all waits; a few threads suffice for hundreds of waits. Not shut down here.
     * @param clock for elapsed times
     */
    public SyncWaiter(ApplicationBackend backend, ScheduledExecutorService scheduler, Clock clock, Settings settings) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SyncWaiter(ApplicationBackend backend, ScheduledExecutorService scheduler) {
        this(backend, scheduler, Clock.systemUTC(), Settings.defaults());
    }

    /**
     * Starts the sync-and-wait. The future completes with the outcome, or exceptionally with an
     * {@link ArgoCdException} when Argo CD refused a call (authentication, permission, unknown app, invalid request)
     * or stayed unreachable. Cancelling the future stops the wait (the operation keeps running in Argo CD).
     */
    public CompletableFuture<SyncResult> start(WaitRequest request, SyncProgressListener progress) {
        SyncProgressListener sink = progress == null ? SyncProgressListener.NONE : progress;
        Wait wait = new Wait(request, line -> sink.onProgress(Redaction.apply(line)));
        wait.run(wait::begin);
        return wait.result;
    }

    /**
     * Blocking convenience around {@link #start}.
     *
     * @throws ArgoCdException as {@link #start}'s future would complete exceptionally
     * @throws InterruptedException when interrupted; the wait is cancelled
     */
    public SyncResult await(WaitRequest request, SyncProgressListener progress) throws InterruptedException {
        CompletableFuture<SyncResult> future = start(request, progress);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Timing of a wait.
     *
     * @param reconnectBackoff first delay before re-opening a dropped watch (doubles per consecutive failure)
     * @param maxReconnectBackoff cap on that delay
     * @param streamFailuresBeforePolling consecutive watch failures without a single event before switching to
     *     polling for the rest of the wait
     * @param pollInterval delay between reads when polling
     * @param firstEventTimeout read the app when a (re)opened watch delivered nothing for this long: the server sends
     *     no headers before the first event, and changes made before the watch started may never come through it
     * @param safetyReadInterval read the app when the stream was silent for this long: it has no heartbeats, so a
     *     dead connection is silent too
     * @param callRetries how often the first read or the sync is retried after a retryable error (5xx, connection
     *     lost); later reads retry until the wait times out
     * @param terminateGrace how long terminating at timeout may take before the wait ends anyway, including the
     *     retries while the controller has not started the operation yet
     */
    public record Settings(
            Duration reconnectBackoff,
            Duration maxReconnectBackoff,
            int streamFailuresBeforePolling,
            Duration pollInterval,
            Duration firstEventTimeout,
            Duration safetyReadInterval,
            int callRetries,
            Duration terminateGrace) {

        public static Settings defaults() {
            return new Settings(Duration.ofMillis(200), Duration.ofSeconds(5), 3, Duration.ofSeconds(2),
                    Duration.ofSeconds(2), Duration.ofSeconds(30), 5, Duration.ofSeconds(10));
        }

        public Settings withPollInterval(Duration interval) {
            return new Settings(reconnectBackoff, maxReconnectBackoff, streamFailuresBeforePolling, interval,
                    firstEventTimeout, safetyReadInterval, callRetries, terminateGrace);
        }

        public Settings withReconnectBackoff(Duration initial, Duration max) {
            return new Settings(initial, max, streamFailuresBeforePolling, pollInterval, firstEventTimeout,
                    safetyReadInterval, callRetries, terminateGrace);
        }

        public Settings withTerminateGrace(Duration grace) {
            return new Settings(reconnectBackoff, maxReconnectBackoff, streamFailuresBeforePolling, pollInterval,
                    firstEventTimeout, safetyReadInterval, callRetries, grace);
        }

        public Settings withQuietStreamReads(Duration firstEvent, Duration safetyRead) {
            return new Settings(reconnectBackoff, maxReconnectBackoff, streamFailuresBeforePolling, pollInterval,
                    firstEvent, safetyRead, callRetries, terminateGrace);
        }
    }

    private enum Stage {
        /** Reading the app for the first time. */
        STARTING,
        /** Another operation runs; waiting for it to end before deciding whether to sync. */
        AWAITING_OTHER_OPERATION,
        /** Our sync request is in flight. */
        SYNCING,
        /** Evaluating every state against the expectation. */
        WATCHING,
        FINISHED
    }

    /** One wait. All of its steps run one at a time through {@link #run}, so its state needs no locking. */
    private final class Wait {
        final WaitRequest request;
        final SyncProgressListener progress;
        final CompletableFuture<SyncResult> result = new CompletableFuture<>();
        final Instant startedAt = clock.instant();
        final Info marker;
        final Expectation baseline;
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        boolean draining;

        Stage stage = Stage.STARTING;
        Expectation expectation;
        Application last;
        String lastReason;
        String lastRetryNotice;
        final Map<String, String> resourceStates = new LinkedHashMap<>();
        WatchHandle watch;
        /** Incremented on every (re)open so that callbacks of an older watch are ignored. */
        int watchGeneration;
        int streamFailures;
        boolean polling;
        ScheduledFuture<?> timeoutTask;
        ScheduledFuture<?> readTask;
        boolean weStartedAnOperation;

        Wait(WaitRequest request, SyncProgressListener progress) {
            this.request = request;
            this.progress = progress;
            this.marker = new Info(MARKER_NAME,
                    request.operationId() != null ? request.operationId() : UUID.randomUUID().toString());
            this.baseline = new Expectation(request.expectedRevision(), request.acceptedHealth(), null,
                    request.sync().dryRun());
            this.expectation = baseline;
            result.whenComplete((r, e) -> run(this::cleanUp));
        }

        /** Runs {@code step} after the steps queued before it, never two at once, on the scheduler. */
        void run(Runnable step) {
            synchronized (queue) {
                queue.add(step);
                if (draining) {
                    return;
                }
                draining = true;
            }
            try {
                scheduler.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                synchronized (queue) {
                    draining = false;
                    queue.clear();
                }
                result.completeExceptionally(new IllegalStateException("the waiter's scheduler is shut down", e));
            }
        }

        private void drain() {
            while (true) {
                Runnable step;
                synchronized (queue) {
                    step = queue.poll();
                    if (step == null) {
                        draining = false;
                        return;
                    }
                }
                try {
                    step.run();
                } catch (RuntimeException | Error e) {
                    // The one place a failing step ends up: the wait ends now, never silently at its timeout.
                    stage = Stage.FINISHED;
                    result.completeExceptionally(e instanceof ArgoCdException ? e : new ArgoCdException(0, null,
                            "waiting for " + request.app() + " failed: " + e, e));
                }
            }
        }

        void begin() {
            timeoutTask = scheduler.schedule(() -> run(this::onTimeout), request.timeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            say("reading " + request.app() + " from " + backend.describe() + " (refresh)");
            call(() -> backend.get(request.app(), Refresh.NORMAL), this::onFirstRead);
        }

        void onFirstRead(Application app) {
            remember(app);
            if (carriesMarker(app)) {
                say("resuming: the operation " + marker.value() + " was started by this wait before");
                followOurOperation(app);
                return;
            }
            boolean autoSync = app.spec().autoSync();
            boolean sync = switch (request.trigger()) {
                case SYNC -> true;
                case WAIT_ONLY -> false;
                case SYNC_UNLESS_AUTOMATED -> !autoSync || request.sync().dryRun();
            };
            if (!sync) {
                say(autoSync ? "automated sync is on: waiting for Argo CD to sync" : "waiting (no sync requested)");
                stage = Stage.WATCHING;
                evaluate(app);
                openWatchIfWaiting();
                return;
            }
            if (request.trigger() == WaitRequest.Trigger.SYNC_UNLESS_AUTOMATED && !request.sync().dryRun()
                    && request.expectedRevision() != null
                    && DoneCondition.evaluate(app, baseline) instanceof WaitVerdict.Done done) {
                finish(SyncResult.Outcome.SYNCED, "already synced: " + done.reason(), done.revision());
                return;
            }
            if (operationRunning(app)) {
                awaitOtherOperation(app);
                return;
            }
            startSync();
        }

        void awaitOtherOperation(Application app) {
            stage = Stage.AWAITING_OTHER_OPERATION;
            report("another operation is in progress" + describeOperation(app) + "; waiting for it to end");
            openWatchIfWaiting();
        }

        void startSync() {
            stage = Stage.SYNCING;
            say("starting sync" + (request.sync().dryRun() ? " (dry run)" : "")
                    + (request.expectedRevision() == null ? "" : ", expecting revision " + request.expectedRevision()));
            SyncRequest sync = request.sync().withInfo(marker);
            attempt(() -> backend.sync(request.app(), sync), this::onSynced, this::onSyncRefused, settings.callRetries(), 0);
        }

        void onSynced(Application app) {
            weStartedAnOperation = true;
            expectation = baseline.withOperationMarker(marker);
            remember(app);
            if (!request.awaitResult()) {
                finish(SyncResult.Outcome.STARTED, "sync started" + revisionNote(app), null);
                return;
            }
            stage = Stage.WATCHING;
            // Events seen while the request was in flight may be newer than its response: judge the newest.
            evaluate(last);
            openWatchIfWaiting();
        }

        boolean onSyncRefused(ArgoCdException e) {
            if (e instanceof OperationInProgressException) {
                Application app = last;
                awaitOtherOperation(app);
                // The watch's first event shows that operation; re-read too in case it ended just now.
                scheduleRead(Duration.ZERO);
                return true;
            }
            return false;
        }

        /** Every state seen, from the watch, a poll or a response. */
        void onApplication(Application app) {
            if (stage == Stage.FINISHED) {
                return;
            }
            if (last != null && olderThan(app, last)) {
                return; // a read that raced with newer stream events
            }
            remember(app);
            switch (stage) {
                case AWAITING_OTHER_OPERATION -> {
                    if (carriesMarker(app)) {
                        // Our sync went through after all (its answer was lost and the retry was refused).
                        followOurOperation(app);
                        return;
                    }
                    if (operationRunning(app)) {
                        report("another operation is in progress" + describeOperation(app) + "; waiting for it to end");
                        return;
                    }
                    if (deployedExpectedRevision(app)) {
                        // That operation deployed our commit: follow it to the end (reconcile, health) as if ours.
                        say("the other operation deployed " + request.expectedRevision());
                        stage = Stage.WATCHING;
                        evaluate(app);
                        return;
                    }
                    startSync();
                }
                case WATCHING -> evaluate(app);
                default -> {
                    // STARTING or SYNCING: the state is remembered; the response decides what comes next.
                }
            }
        }

        void followOurOperation(Application app) {
            weStartedAnOperation = true;
            expectation = baseline.withOperationMarker(marker);
            stage = Stage.WATCHING;
            evaluate(app);
            openWatchIfWaiting();
        }

        /** Whether the requested or last operation is one this wait started. */
        boolean carriesMarker(Application app) {
            var state = app.status().operationState();
            return app.operation() != null && app.operation().info().contains(marker)
                    || state != null && state.operation() != null && state.operation().info().contains(marker);
        }

        /** Whether the last operation, which was not ours, succeeded at the expected revision. */
        boolean deployedExpectedRevision(Application app) {
            var state = app.status().operationState();
            return request.expectedRevision() != null && state != null && state.phase() == OperationPhase.Succeeded
                    && Expectation.sameRevision(request.expectedRevision(), state.revision());
        }

        void evaluate(Application app) {
            WaitVerdict verdict = DoneCondition.evaluate(app, expectation);
            if (verdict instanceof WaitVerdict.Done done) {
                finish(SyncResult.Outcome.SYNCED, done.reason(), done.revision());
            } else if (verdict instanceof WaitVerdict.Failed failed) {
                List<ResourceProblem> problems = failed.resources().isEmpty()
                        ? DoneCondition.problems(app) : failed.resources();
                finish(SyncResult.Outcome.FAILED, failed.reason(), problems, app.status().sync().revision(), false);
            } else {
                report(verdict.reason());
            }
        }

        // ---- watching and reading -------------------------------------------------------------------------

        void openWatchIfWaiting() {
            if (stage == Stage.FINISHED || watch != null || polling) {
                return;
            }
            int generation = ++watchGeneration;
            String from = last == null ? null : last.metadata().resourceVersion();
            watch = backend.watch(request.app(), from, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    run(() -> onWatchEvent(generation, event));
                }

                @Override
                public void onClosed(Throwable error) {
                    run(() -> onWatchClosed(generation, error));
                }
            });
            scheduleRead(settings.firstEventTimeout());
        }

        void onWatchEvent(int generation, WatchEvent event) {
            if (generation != watchGeneration || stage == Stage.FINISHED) {
                return;
            }
            streamFailures = 0;
            scheduleRead(settings.safetyReadInterval());
            if (event.type() == WatchEvent.Type.DELETED) {
                fail(new ApplicationNotFoundException(404, null, "application " + request.app()
                        + " was deleted while waiting for it"));
                return;
            }
            onApplication(event.application());
        }

        void onWatchClosed(int generation, Throwable error) {
            if (generation != watchGeneration || stage == Stage.FINISHED) {
                return;
            }
            watch = null;
            if (error instanceof UnexpectedAnswerException unexpected) {
                fail(unexpected); // the server sends what it should not: reconnecting would get the same
                return;
            }
            streamFailures++;
            if (streamFailures >= settings.streamFailuresBeforePolling()) {
                polling = true;
                say("the watch stream keeps failing" + (error == null ? "" : " (" + error.getMessage() + ")")
                        + "; polling every " + settings.pollInterval().toMillis() + " ms instead");
                scheduleRead(Duration.ZERO);
                return;
            }
            long delay = Math.min(settings.maxReconnectBackoff().toMillis(),
                    settings.reconnectBackoff().toMillis() << Math.min(streamFailures - 1, 16));
            scheduler.schedule(() -> run(this::openWatchIfWaiting), delay, TimeUnit.MILLISECONDS);
        }

        /** Schedules the next plain read: the poll when polling, the safety read when streaming. */
        void scheduleRead(Duration delay) {
            if (stage == Stage.FINISHED) {
                return;
            }
            if (readTask != null) {
                readTask.cancel(false);
            }
            readTask = scheduler.schedule(() -> run(this::read), delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        void read() {
            if (stage == Stage.FINISHED) {
                return;
            }
            // Once the wait is under way, an outage of Argo CD (a restart) is waited out until the timeout.
            attempt(() -> backend.get(request.app(), Refresh.NONE), app -> {
                onApplication(app);
                scheduleRead(polling ? settings.pollInterval() : settings.safetyReadInterval());
            }, e -> false, Integer.MAX_VALUE, 0);
        }

        // ---- ending ---------------------------------------------------------------------------------------

        void onTimeout() {
            if (stage == Stage.FINISHED) {
                return;
            }
            String reason = lastReason == null ? "no state read yet" : lastReason;
            String message = "timed out after " + DurationText.format(request.timeout()) + " waiting for " + request.app()
                    + ": " + reason;
            if (request.terminateOnTimeout() && weStartedAnOperation && last != null && operationRunning(last)) {
                stage = Stage.FINISHED;
                terminate(message, System.nanoTime() + settings.terminateGrace().toNanos(), 0);
                return;
            }
            finish(SyncResult.Outcome.TIMED_OUT, message, DoneCondition.problems(last == null ? emptyApp() : last),
                    currentRevision(), false);
        }

        /**
         * Terminates our operation, then ends the wait as timed out saying whether it was stopped. An operation the
         * controller has not started yet cannot be terminated through the API server (it would still run): the
         * terminate is retried with backoff until it started, for at most the terminate grace.
         */
        void terminate(String message, long deadlineNanos, int attempt) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            backend.terminate(request.app())
                    .orTimeout(left, TimeUnit.MILLISECONDS)
                    .whenComplete((ok, error) -> run(() -> {
                        Throwable cause = error == null ? null : unwrap(error);
                        if (cause instanceof OperationNotStartedException) {
                            long delay = Math.min(settings.maxReconnectBackoff().toMillis(),
                                    settings.reconnectBackoff().toMillis() << Math.min(attempt, 16));
                            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) < deadlineNanos) {
                                scheduler.schedule(() -> run(() -> terminate(message, deadlineNanos, attempt + 1)),
                                        delay, TimeUnit.MILLISECONDS);
                                return;
                            }
                        }
                        // Retries follow only "not started" answers: a last one cut short by the grace says no more.
                        boolean notStarted = cause instanceof OperationNotStartedException
                                || attempt > 0 && timedOut(error);
                        String outcome = cause == null ? "; the operation was terminated"
                                : notStarted
                                        ? "; the operation could not be terminated: Argo CD had not started it within "
                                                + DurationText.format(settings.terminateGrace()) + ", and may still run it"
                                        : "; terminating the operation failed: " + cause.getMessage();
                        complete(SyncResult.Outcome.TIMED_OUT, message + outcome, DoneCondition.problems(last),
                                currentRevision(), cause == null);
                    }));
        }

        void finish(SyncResult.Outcome outcome, String message, String revision) {
            finish(outcome, message, List.of(), revision, false);
        }

        void finish(SyncResult.Outcome outcome, String message, List<ResourceProblem> problems, String revision,
                boolean terminated) {
            if (stage == Stage.FINISHED) {
                return;
            }
            stage = Stage.FINISHED;
            complete(outcome, message, problems, revision, terminated);
        }

        void complete(SyncResult.Outcome outcome, String message, List<ResourceProblem> problems, String revision,
                boolean terminated) {
            result.complete(new SyncResult(outcome, message, revision, last, problems,
                    Duration.between(startedAt, clock.instant()), terminated));
        }

        void fail(Throwable error) {
            stage = Stage.FINISHED;
            result.completeExceptionally(error);
        }

        void cleanUp() {
            stage = Stage.FINISHED;
            if (timeoutTask != null) {
                timeoutTask.cancel(false);
            }
            if (readTask != null) {
                readTask.cancel(false);
            }
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }

        // ---- calls ----------------------------------------------------------------------------------------

        /** A call with the configured number of retries, whose failures (once retried) fail the wait. */
        void call(Supplier<CompletableFuture<Application>> call, Consumer<Application> onSuccess) {
            attempt(call, onSuccess, e -> false, settings.callRetries(), 0);
        }

        /**
         * Makes a backend call, retrying retryable failures with backoff, and continues on this wait's queue.
         *
         * @param refused handles a failure; returns false to fail the wait with it (after retries, if retryable)
         * @param retries how many times a retryable failure is retried
         */
        void attempt(Supplier<CompletableFuture<Application>> call, Consumer<Application> onSuccess,
                Predicate<ArgoCdException> refused, int retries, int attempt) {
            if (stage == Stage.FINISHED) {
                return;
            }
            CompletableFuture<Application> future;
            try {
                future = call.get();
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            // Continue as a step of this wait's queue (not whenCompleteAsync on it: an exception thrown by the
            // callback would end in the future that call returns, which nobody reads, and the wait would hang).
            future.whenComplete((app, error) -> run(() -> {
                if (stage == Stage.FINISHED) {
                    return;
                }
                if (error == null) {
                    lastRetryNotice = null;
                    onSuccess.accept(app);
                    return;
                }
                Throwable cause = unwrap(error);
                if (cause instanceof ArgoCdException argo) {
                    if (refused.test(argo)) {
                        return;
                    }
                    if (argo.retryable() && attempt < retries) {
                        String notice = "Argo CD call failed, retrying: " + argo.getMessage();
                        if (!notice.equals(lastRetryNotice)) {
                            lastRetryNotice = notice;
                            progress.onProgress(notice);
                        }
                        long delay = Math.min(settings.maxReconnectBackoff().toMillis(),
                                settings.reconnectBackoff().toMillis() << Math.min(attempt, 16));
                        scheduler.schedule(() -> run(() -> attempt(call, onSuccess, refused, retries, attempt + 1)),
                                delay, TimeUnit.MILLISECONDS);
                        return;
                    }
                }
                fail(cause);
            }));
        }

        // ---- progress -------------------------------------------------------------------------------------

        /** Keeps {@code app} as the latest state unless an event or read already brought a newer one. */
        void remember(Application app) {
            if (app == null || (last != null && olderThan(app, last))) {
                return;
            }
            last = app;
            reportResources(app);
        }

        /** Reports the awaited condition when it changed. */
        void report(String reason) {
            if (!reason.equals(lastReason)) {
                lastReason = reason;
                progress.onProgress(reason);
            }
        }

        void say(String line) {
            progress.onProgress(line);
        }

        /** One line per resource whose sync, hook or health state changed since the last report. */
        void reportResources(Application app) {
            Map<String, String> now = new LinkedHashMap<>();
            var state = app.status().operationState();
            if (state != null && state.syncResult() != null) {
                for (var r : state.syncResult().resources()) {
                    StringBuilder s = new StringBuilder(String.valueOf(r.status()));
                    if (r.hookPhase() != null && !r.hookPhase().isEmpty() && r.hookType() != null
                            && !r.hookType().isEmpty()) {
                        s.append(", ").append(r.hookType()).append(" hook ").append(r.hookPhase());
                    }
                    if (r.message() != null && !r.message().isEmpty()) {
                        s.append(" (").append(r.message()).append(')');
                    }
                    now.put(r.displayName() + " sync", s.toString());
                }
            }
            for (var r : app.status().resources()) {
                if (r.health() == null) {
                    continue;
                }
                String h = r.health().status().name();
                if (r.health().message() != null && !r.health().message().isEmpty()) {
                    h += " (" + r.health().message() + ")";
                }
                now.put(r.displayName() + " health", h);
            }
            for (var e : now.entrySet()) {
                if (!e.getValue().equals(resourceStates.get(e.getKey()))) {
                    progress.onProgress("  " + e.getKey() + ": " + e.getValue());
                }
            }
            resourceStates.clear();
            resourceStates.putAll(now);
        }

        String currentRevision() {
            return last == null ? null : last.status().sync().revision();
        }
    }

    /**
     * Whether {@code a} is an older state than {@code b}. Kubernetes resource versions are opaque, but Argo CD's are
     * etcd revisions: compare them as numbers when both are; otherwise treat every state as new.
     */
    static boolean olderThan(Application a, Application b) {
        String ra = a.metadata().resourceVersion();
        String rb = b.metadata().resourceVersion();
        if (ra == null || rb == null || ra.length() > 18 || rb.length() > 18
                || !ra.chars().allMatch(Character::isDigit) || !rb.chars().allMatch(Character::isDigit)
                || ra.isEmpty() || rb.isEmpty()) {
            return false;
        }
        return Long.parseLong(ra) < Long.parseLong(rb);
    }

    private static boolean operationRunning(Application app) {
        if (app == null) {
            return false;
        }
        var state = app.status().operationState();
        return app.operation() != null || (state != null && !state.phase().terminal());
    }

    private static String describeOperation(Application app) {
        if (app == null || app.operation() == null || app.operation().initiatedBy() == null) {
            return "";
        }
        var by = app.operation().initiatedBy();
        if (Boolean.TRUE.equals(by.automated())) {
            return " (automated sync)";
        }
        return by.username() == null || by.username().isEmpty() ? "" : " (started by " + by.username() + ")";
    }

    private static String revisionNote(Application app) {
        var op = app.operation();
        return op == null || op.sync() == null || op.sync().revision() == null ? ""
                : " at revision " + op.sync().revision();
    }

    private static Application emptyApp() {
        return new Application(null, null, null, null);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new ServerUnavailableException(0, null, "Argo CD did not answer in time", cause);
        }
        return cause;
    }

    private static boolean timedOut(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
