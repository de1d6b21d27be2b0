package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link SyncWaiter} wait ended. Calls that could not even be made (authentication, permission, unknown
 * application, unreachable server) end the wait exceptionally with an {@link ArgoCdException} instead.
 *
 * @param outcome the verdict
 * @param message one line saying what happened and, for failures, what to look at (redacted)
 * @param revision the revision the app is synced to, when known
 * @param application the last state seen; null if none was read
 * @param problems resources that failed to sync or are unhealthy (empty on success)
 * @param elapsed from the start of the wait to its end
 * @param operationTerminated whether the waiter terminated the running operation (timeout with terminate)
 */
public record SyncResult(
        Outcome outcome,
        String message,
        String revision,
        Application application,
        List<ResourceProblem> problems,
        Duration elapsed,
        boolean operationTerminated) {

    public SyncResult {
        Objects.requireNonNull(outcome, "outcome");
        message = Redaction.apply(Objects.requireNonNull(message, "message"));
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** The possible ends of a wait. */
    public enum Outcome {
        /** Synced at the expected revision with an accepted health. */
        SYNCED,
        /** The sync was started and the caller asked not to wait. */
        STARTED,
        /** The operation failed or errored, the app became Degraded, or the sync landed on another revision. */
        FAILED,
        /** The deadline passed first; {@code message} holds the last thing awaited. */
        TIMED_OUT
    }
}
