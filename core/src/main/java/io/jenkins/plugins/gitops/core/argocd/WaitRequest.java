package io.jenkins.plugins.gitops.core.argocd;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One sync-and-wait for {@link SyncWaiter}.
 *
 * @param app the application
 * @param expectedRevision the commit SHA that must end up deployed (typically the one just pushed); null to accept
 *     what the target revision resolves to
 * @param sync how to sync (prune, dry run, strategy...)
 * @param trigger whether to start a sync or only wait
 * @param acceptedHealth health states that count as done; empty means {@code Healthy}
 * @param timeout how long to wait at most
 * @param terminateOnTimeout terminate the running operation when the timeout hits
 * @param awaitResult false to return as soon as the sync is started ({@link SyncResult.Outcome#STARTED})
 * @param operationId marks the sync operation this wait starts ({@code operation.info} {@code gitops-deploy-sync});
 *     null for a random one. A wait resumed with the same id (e.g. after a Jenkins restart) recognises the operation
 *     as its own and follows it instead of syncing again.
 */
public record WaitRequest(
        ApplicationRef app,
        String expectedRevision,
        SyncRequest sync,
        Trigger trigger,
        Set<HealthStatusCode> acceptedHealth,
        Duration timeout,
        boolean terminateOnTimeout,
        boolean awaitResult,
        String operationId) {

    public WaitRequest {
        Objects.requireNonNull(app, "app");
        sync = sync == null ? SyncRequest.defaults() : sync;
        trigger = trigger == null ? Trigger.SYNC_UNLESS_AUTOMATED : trigger;
        acceptedHealth = acceptedHealth == null || acceptedHealth.isEmpty()
                ? Set.of(HealthStatusCode.Healthy)
                : Set.copyOf(acceptedHealth);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        expectedRevision = expectedRevision == null || expectedRevision.isBlank() ? null : expectedRevision.trim();
        operationId = operationId == null || operationId.isBlank() ? null : operationId;
    }

    /** Sync {@code app} (unless it syncs itself) and wait up to {@code timeout} for Synced and Healthy. */
    public static WaitRequest of(ApplicationRef app, Duration timeout) {
        return new WaitRequest(app, null, null, null, null, timeout, false, true, null);
    }

    public WaitRequest withExpectedRevision(String revision) {
        return new WaitRequest(app, revision, sync, trigger, acceptedHealth, timeout, terminateOnTimeout, awaitResult, operationId);
    }

    public WaitRequest withSync(SyncRequest newSync) {
        return new WaitRequest(app, expectedRevision, newSync, trigger, acceptedHealth, timeout, terminateOnTimeout, awaitResult, operationId);
    }

    public WaitRequest withTrigger(Trigger newTrigger) {
        return new WaitRequest(app, expectedRevision, sync, newTrigger, acceptedHealth, timeout, terminateOnTimeout, awaitResult, operationId);
    }

    public WaitRequest withAcceptedHealth(Set<HealthStatusCode> health) {
        return new WaitRequest(app, expectedRevision, sync, trigger, health, timeout, terminateOnTimeout, awaitResult, operationId);
    }

    public WaitRequest withTimeout(Duration newTimeout) {
        return new WaitRequest(app, expectedRevision, sync, trigger, acceptedHealth, newTimeout, terminateOnTimeout,
                awaitResult, operationId);
    }

    public WaitRequest withTerminateOnTimeout(boolean terminate) {
        return new WaitRequest(app, expectedRevision, sync, trigger, acceptedHealth, timeout, terminate, awaitResult, operationId);
    }

    public WaitRequest withAwaitResult(boolean await) {
        return new WaitRequest(app, expectedRevision, sync, trigger, acceptedHealth, timeout, terminateOnTimeout, await, operationId);
    }

    public WaitRequest withOperationId(String id) {
        return new WaitRequest(app, expectedRevision, sync, trigger, acceptedHealth, timeout, terminateOnTimeout,
                awaitResult, id);
    }

    /** Whether the waiter starts a sync operation. */
    public enum Trigger {
        /**
         * Sync, except for apps with automated sync (those are refreshed and left to sync themselves) and apps already
         * done at the expected revision (returns at once).
         */
        SYNC_UNLESS_AUTOMATED,
        /** Always start a sync, even when already done (a dry run always does). */
        SYNC,
        /** Never sync; refresh and wait (for auto-sync apps or a sync started elsewhere). */
        WAIT_ONLY
    }
}
