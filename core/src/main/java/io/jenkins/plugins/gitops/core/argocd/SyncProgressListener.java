package io.jenkins.plugins.gitops.core.argocd;

/**
 * Receives one line per change while {@link SyncWaiter} waits: the operation phase, the awaited condition, a resource
 * whose sync or health state changed. Never called twice for the same state. Called from the waiter's scheduler
 * threads, one call at a time per wait; must return quickly.
 */
@FunctionalInterface
public interface SyncProgressListener {

    /** Discards progress. */
    SyncProgressListener NONE = line -> {};

    void onProgress(String line);
}
