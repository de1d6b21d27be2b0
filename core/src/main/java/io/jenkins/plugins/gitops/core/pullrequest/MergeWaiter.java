package io.jenkins.plugins.gitops.core.pullrequest;

import io.jenkins.plugins.gitops.core.DurationText;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Waits until a pull request is merged, and completes with it and its merge commit; fails at once when it is closed
 * unmerged, and with a clear timeout when it stays open. Holds no thread while waiting: each read is a short task on
 * the shared scheduler, so one scheduler serves any number of waits. Reads that fail for a passing reason (the
 * service unreachable, 5xx) are retried at the next poll; a refused token or a vanished pull request ends the wait.
 */
public final class MergeWaiter {

    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    /** @param scheduler runs the polls of all waits; not shut down here */
    public MergeWaiter(ScheduledExecutorService scheduler, Clock clock) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Starts the wait. Cancelling the future stops it.
     *
     * @param progress told of each state change, redacted
     */
    public CompletableFuture<PullRequest> start(PullRequestApi api, long number, Duration timeout, Duration pollInterval, Consumer<String> progress) {
        if (timeout.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                    "The merge wait needs a timeout of 0 or more and a positive poll interval, not " + timeout + " and " + pollInterval + ".");
        }
        Wait wait = new Wait(api, number, clock.instant().plus(timeout), timeout, pollInterval, line -> progress.accept(Redaction.apply(line)));
        wait.poll();
        return wait.result;
    }

    private final class Wait {
        final PullRequestApi api;
        final long number;
        final Instant deadline;
        final Duration timeout;
        final Duration interval;
        final Consumer<String> progress;
        final CompletableFuture<PullRequest> result = new CompletableFuture<>();
        final AtomicReference<ScheduledFuture<?>> next = new AtomicReference<>();
        volatile String lastProblem = "";

        Wait(PullRequestApi api, long number, Instant deadline, Duration timeout, Duration interval, Consumer<String> progress) {
            this.api = api;
            this.number = number;
            this.deadline = deadline;
            this.timeout = timeout;
            this.interval = interval;
            this.progress = progress;
            result.whenComplete((pr, error) -> {
                ScheduledFuture<?> pending = next.get();
                if (pending != null) {
                    pending.cancel(false);
                }
            });
        }

        String name() {
            return api.repository().provider().requestNoun() + " " + (api.repository().provider() == Provider.GITLAB ? "!" : "#") + number;
        }

        void poll() {
            if (result.isDone()) {
                return;
            }
            api.get(number).whenComplete((pr, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof PullRequestException e && e.kind() != PullRequestException.Kind.API) {
                        result.completeExceptionally(e);
                        return;
                    }
                    lastProblem = " (last read failed: " + cause.getMessage() + ")";
                    schedule();
                    return;
                }
                lastProblem = "";
                switch (pr.state()) {
                    case MERGED -> {
                        if (pr.mergeCommit().isEmpty() && !clock.instant().isAfter(deadline)) {
                            schedule(); // GitLab fills the merge commit in a moment after the state changes
                            return;
                        }
                        progress.accept(name() + " was merged" + pr.mergeCommit().map(sha -> " as " + sha).orElse(""));
                        result.complete(pr);
                    }
                    case CLOSED -> result.completeExceptionally(new PullRequestException(PullRequestException.Kind.CLOSED_UNMERGED,
                            name() + " was closed without being merged: " + pr.url()));
                    case OPEN -> schedule();
                }
            });
        }

        void schedule() {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                result.completeExceptionally(new PullRequestException(PullRequestException.Kind.TIMEOUT,
                        name() + " was still not merged after " + DurationText.format(timeout) + lastProblem
                                + "; it stays open. Merge it, or wait longer (waitForMerge)."));
                return;
            }
            Duration left = Duration.between(now, deadline);
            Duration delay = left.compareTo(interval) < 0 ? left : interval;
            next.set(scheduler.schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS));
            if (result.isDone()) {
                next.get().cancel(false);
            }
        }
    }
}
