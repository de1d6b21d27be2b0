package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.argocd.Application.Info;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to sync and how: the body of {@code POST .../sync}, or the {@code operation.sync} written on the custom
 * resource.
 *
 * @param revision the revision to sync to; null for the spec's {@code targetRevision} (required for auto-sync apps,
 *     which reject any other revision)
 * @param prune delete resources no longer in git
 * @param dryRun {@code kubectl apply --dry-run}; the live state does not change
 * @param resources sync only these resources; empty for all
 * @param syncOptions e.g. {@code CreateNamespace=true}; null to use the app's {@code syncPolicy.syncOptions}
 * @param strategy apply or hook (default hook); null for the server's default
 * @param retry retries of a failed sync; null to use the app's {@code syncPolicy.retry}
 * @param infos name/value pairs recorded on the operation ({@code operation.info}); the waiter adds a marker here
 *     to recognise its own operation
 */
public record SyncRequest(
        String revision,
        boolean prune,
        boolean dryRun,
        List<Resource> resources,
        List<String> syncOptions,
        Strategy strategy,
        RetryStrategy retry,
        List<Info> infos) {

    public SyncRequest {
        revision = revision == null || revision.isBlank() ? null : revision;
        resources = resources == null ? List.of() : List.copyOf(resources);
        syncOptions = syncOptions == null ? null : List.copyOf(syncOptions);
        infos = infos == null ? List.of() : List.copyOf(infos);
    }

    /** Sync everything to the spec's target revision with the app's own options. */
    public static SyncRequest defaults() {
        return new SyncRequest(null, false, false, List.of(), null, null, null, List.of());
    }

    public SyncRequest withRevision(String newRevision) {
        return new SyncRequest(newRevision, prune, dryRun, resources, syncOptions, strategy, retry, infos);
    }

    public SyncRequest withPrune(boolean newPrune) {
        return new SyncRequest(revision, newPrune, dryRun, resources, syncOptions, strategy, retry, infos);
    }

    public SyncRequest withDryRun(boolean newDryRun) {
        return new SyncRequest(revision, prune, newDryRun, resources, syncOptions, strategy, retry, infos);
    }

    public SyncRequest withResources(List<Resource> newResources) {
        return new SyncRequest(revision, prune, dryRun, newResources, syncOptions, strategy, retry, infos);
    }

    public SyncRequest withSyncOptions(List<String> newSyncOptions) {
        return new SyncRequest(revision, prune, dryRun, resources, newSyncOptions, strategy, retry, infos);
    }

    public SyncRequest withStrategy(Strategy newStrategy) {
        return new SyncRequest(revision, prune, dryRun, resources, syncOptions, newStrategy, retry, infos);
    }

    public SyncRequest withRetry(RetryStrategy newRetry) {
        return new SyncRequest(revision, prune, dryRun, resources, syncOptions, strategy, newRetry, infos);
    }

    /** This request with one more info pair appended. */
    public SyncRequest withInfo(Info info) {
        List<Info> all = new java.util.ArrayList<>(infos);
        all.add(Objects.requireNonNull(info));
        return new SyncRequest(revision, prune, dryRun, resources, syncOptions, strategy, retry, all);
    }

    /** A resource to sync selectively; {@code group} is empty for the core API group. */
    public record Resource(String group, String kind, String namespace, String name) {
        public Resource {
            group = group == null ? "" : group;
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Sync strategy: {@code apply} (kubectl apply, hooks skipped) or {@code hook} (hooks run), each optionally forced
     * (delete and re-create on conflict).
     */
    public record Strategy(Kind kind, boolean force) {
        public Strategy {
            Objects.requireNonNull(kind, "kind");
        }

        /** The two strategies Argo CD offers. */
        public enum Kind {
            APPLY,
            HOOK
        }
    }

    /**
     * Retry of a failed sync operation, done by the controller.
     *
     * @param limit number of retries; 0 means none
     * @param refresh use the latest revision on retry instead of the initial one
     * @param backoffDuration first delay
     * @param backoffFactor multiplier applied to the delay after each retry
     * @param backoffMaxDuration cap on the delay
     */
    public record RetryStrategy(
            int limit, boolean refresh, Duration backoffDuration, int backoffFactor, Duration backoffMaxDuration) {
        public RetryStrategy {
            if (limit < 0) {
                throw new IllegalArgumentException("retry limit must not be negative: " + limit);
            }
        }
    }
}
