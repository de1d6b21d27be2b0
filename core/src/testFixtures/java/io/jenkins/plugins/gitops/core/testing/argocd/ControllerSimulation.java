package io.jenkins.plugins.gitops.core.testing.argocd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulated application controller's clock and scheduler. Each controller action (start an operation,
 * apply, finish, reconcile, settle health) is one step. Running, steps follow each other after short real
 * delays ({@link FakeArgoCd.Builder#stepDelay}); {@link #pause() paused}, they queue up and the test runs
 * them one by one with {@link #step()}, which makes intermediate states observable deterministically.
 */
public final class ControllerSimulation {

    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Consumer<Throwable> failures;
    private final Deque<Runnable> held = new ArrayDeque<>();
    private boolean paused;
    private Instant lastStamp = Instant.EPOCH;

    ControllerSimulation(Clock clock, boolean paused, Consumer<Throwable> failures) {
        this.clock = clock;
        this.paused = paused;
        this.failures = failures;
        this.executor = Executors.newSingleThreadScheduledExecutor(FakeArgoCd.daemonThreads("fake-argocd-controller"));
    }

    /** Holds further steps until {@link #step()} or {@link #resume()}. */
    public synchronized void pause() {
        paused = true;
    }

    /** Runs held steps, and all later ones, on their own again. */
    public void resume() {
        Deque<Runnable> release;
        synchronized (this) {
            paused = false;
            release = new ArrayDeque<>(held);
            held.clear();
        }
        release.forEach(step -> schedule(Duration.ZERO, step));
    }

    /** Runs the oldest held step in the calling thread; false when none is held. */
    public boolean step() {
        Runnable next;
        synchronized (this) {
            next = held.poll();
        }
        if (next == null) {
            return false;
        }
        guarded(next).run();
        return true;
    }

    /** Runs held steps (and the steps they schedule) until none is left; returns how many ran. */
    public int runUntilIdle() {
        int count = 0;
        while (count < 10_000 && step()) {
            count++;
        }
        return count;
    }

    /** How many steps wait for {@link #step()}. */
    public synchronized int heldSteps() {
        return held.size();
    }

    /**
     * A new RFC 3339 timestamp at second resolution, as Argo CD writes them ({@code metav1.Time} marshals RFC 3339
     * without fractions), never earlier than the previous one. Fast steps get equal timestamps, as they do from the
     * real controller: {@code startedAt <= finishedAt <= reconciledAt}, often all in one second, so that a client
     * comparing them must allow equality.
     */
    synchronized Instant stamp() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp;
        return lastStamp;
    }

    void schedule(Duration delay, Runnable step) {
        synchronized (this) {
            if (paused) {
                held.add(step);
                return;
            }
        }
        try {
            executor.schedule(guarded(step), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the fake is closed: its controller does nothing more
        }
    }

    void shutdown() {
        executor.shutdownNow();
    }

    private Runnable guarded(Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException | Error e) {
                failures.accept(e);
            }
        };
    }
}
