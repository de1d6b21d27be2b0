package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.DurationText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Waits for an Application to exist before it is synced: an ApplicationSet generates it from the commit just pushed,
 * some seconds later, and a sync before that fails with "not found". Reads the application every {@code interval}
 * without holding a thread in between; "not found" and, since the API server answers a missing application with
 * it when no project is given, "permission denied" mean "not yet". Any other error ends the wait at once.
 */
public final class ApplicationAppearance {

    /** How often to look: an ApplicationSet controller reconciles within seconds of a push it is told of. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private ApplicationAppearance() {}

    /**
     * Completes with the application as soon as it exists; exceptionally with {@link ApplicationNotFoundException}
     * when it has not appeared within {@code timeout} (the message says how long it waited and, without a project,
     * that a token without read access looks the same), or with the backend's error.
     */
    public static CompletableFuture<Application> await(ApplicationBackend backend, ApplicationRef app, Duration timeout,
                                                       Duration interval, ScheduledExecutorService scheduler, Clock clock) {
        CompletableFuture<Application> appeared = new CompletableFuture<>();
        Instant deadline = clock.instant().plus(timeout);
        look(backend, app, timeout, deadline, interval, scheduler, clock, appeared);
        return appeared;
    }

    private static void look(ApplicationBackend backend, ApplicationRef app, Duration timeout, Instant deadline,
                             Duration interval, ScheduledExecutorService scheduler, Clock clock,
                             CompletableFuture<Application> appeared) {
        backend.get(app, Refresh.NONE).whenComplete((found, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause == null) {
                appeared.complete(found);
            } else if (!(cause instanceof ApplicationNotFoundException || cause instanceof PermissionDeniedException)) {
                appeared.completeExceptionally(cause);
            } else if (!clock.instant().isBefore(deadline)) {
                appeared.completeExceptionally(new ApplicationNotFoundException(404, null, "Application " + app
                        + " did not appear within " + DurationText.format(timeout) + " on " + backend.describe()
                        + (app.project() == null && cause instanceof PermissionDeniedException
                                ? " (or the credentials may not read it: Argo CD answers both with 'permission denied';"
                                        + " give the project to tell them apart)" : "")));
            } else if (!appeared.isDone()) {
                try {
                    scheduler.schedule(() -> look(backend, app, timeout, deadline, interval, scheduler, clock, appeared),
                            interval.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RuntimeException rejected) {
                    appeared.completeExceptionally(rejected);
                }
            }
        });
    }
}
