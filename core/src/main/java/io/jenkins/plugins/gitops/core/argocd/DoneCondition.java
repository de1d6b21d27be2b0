package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.argocd.Application.Operation;
import io.jenkins.plugins.gitops.core.argocd.Application.OperationState;
import io.jenkins.plugins.gitops.core.argocd.Application.ResourceResult;
import io.jenkins.plugins.gitops.core.argocd.Application.ResourceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether an application is done, as a pure function of its state and an {@link Expectation}. Both backends
 * (API server and custom resource) share it, so "done" means exactly the same through either.
 *
 * <p>Done when all of these hold, checked in this order (the first that fails is the reason to wait):
 * <ol>
 *   <li>no operation is requested ({@code .operation} absent);</li>
 *   <li>an operation has run (without a marker, an app that never ran one is judged by its live state alone);</li>
 *   <li>the last operation is ours (carries the expectation's marker, when one is set) and deployed the expected
 *       revision (when one is set): an older operation never counts;</li>
 *   <li>it is terminal and Succeeded (Failed or Error fail the wait, naming the failed resources);</li>
 *   <li>the controller compared the live state after it finished ({@code reconciledAt >= finishedAt});</li>
 *   <li>the sync status is Synced at the expected revision (OutOfSync with PruneSkipped resources fails);</li>
 *   <li>the health is in the accepted set (Degraded fails, naming the degraded resources).</li>
 * </ol>
 * A dry run is done once its operation succeeded.
 */
public final class DoneCondition {

    private DoneCondition() {}

    /** Evaluates {@code app} against {@code expectation}. */
    public static WaitVerdict evaluate(Application app, Expectation expectation) {
        var marker = expectation.operationMarker();
        Operation requested = app.operation();
        OperationState state = app.status().operationState();
        if (requested != null) {
            if (marker != null && !requested.info().contains(marker)) {
                return new WaitVerdict.Waiting("another operation is in progress"
                        + initiator(requested) + "; waiting for it to end");
            }
            if (state != null && state.phase() == OperationPhase.Running && sameOperation(state, requested)) {
                return new WaitVerdict.Waiting(runningReason(state));
            }
            return new WaitVerdict.Waiting("sync requested; waiting for the controller to start it");
        }
        if (state == null) {
            if (marker != null) {
                return new WaitVerdict.Waiting("no sync operation has run yet");
            }
            // Never synced through an operation, yet the live state may already match: judge it as it is.
            return liveState(app, expectation, null, null);
        }
        if (marker != null && (state.operation() == null || !state.operation().info().contains(marker))) {
            return new WaitVerdict.Waiting("waiting for our sync operation (the last operation is an older one)");
        }
        String expected = expectation.revision();
        String deployed = state.revision();
        boolean deployedExpected = expected == null || matches(expected, deployed, resultRevisions(state));
        if (!deployedExpected) {
            if (marker != null && state.phase().terminal()) {
                return new WaitVerdict.Failed("the sync operation deployed revision " + deployed + ", not the expected "
                        + expected + ": the target revision has moved on (a newer commit?) or points elsewhere",
                        List.of());
            }
            return new WaitVerdict.Waiting("the last operation " + (state.phase().terminal() ? "deployed" : "deploys")
                    + " revision " + deployed + "; waiting for one deploying " + expected);
        }
        if (!state.phase().terminal()) {
            return new WaitVerdict.Waiting(runningReason(state));
        }
        if (state.phase() != OperationPhase.Succeeded) {
            return new WaitVerdict.Failed("sync operation " + state.phase()
                    + (blank(state.message()) ? "" : ": " + state.message()), failedResults(state));
        }
        if (expectation.dryRun()) {
            return new WaitVerdict.Done(deployed, app.status().health().status());
        }
        if (state.finishedAt() == null) {
            return new WaitVerdict.Waiting("sync operation succeeded; waiting for it to record its end");
        }
        var reconciledAt = app.status().reconciledAt();
        if (reconciledAt == null || reconciledAt.isBefore(state.finishedAt())) {
            return new WaitVerdict.Waiting("sync operation succeeded; waiting for the controller to compare the live"
                    + " state again");
        }
        return liveState(app, expectation, state, deployed);
    }

    /** The checks on the compared live state: revision, sync status, health. */
    private static WaitVerdict liveState(Application app, Expectation expectation, OperationState state,
            String deployed) {
        String expected = expectation.revision();
        if (state == null && app.status().reconciledAt() == null) {
            return new WaitVerdict.Waiting("no sync operation has run yet");
        }
        var sync = app.status().sync();
        if (expected != null && !matches(expected, sync.revision(), sync.revisions())) {
            return new WaitVerdict.Waiting("the live state is compared with revision " + sync.revision()
                    + "; waiting for " + expected);
        }
        if (sync.status() != SyncStatusCode.Synced) {
            List<ResourceProblem> pruneSkipped = state == null ? List.of() : pruneSkipped(state);
            if (!pruneSkipped.isEmpty()) {
                return new WaitVerdict.Failed(pruneSkipped.size() + " resource"
                        + (pruneSkipped.size() == 1 ? " requires" : "s require") + " pruning"
                        + " (sync with prune, or delete them)", pruneSkipped);
            }
            return new WaitVerdict.Waiting("sync status is " + sync.status() + outOfSync(app));
        }
        var health = app.status().health();
        Set<HealthStatusCode> accepted = expectation.acceptedHealth();
        if (accepted.contains(health.status())) {
            return new WaitVerdict.Done(sync.revision() != null ? sync.revision() : deployed, health.status());
        }
        if (health.status() == HealthStatusCode.Degraded) {
            return new WaitVerdict.Failed("application health is Degraded"
                    + (blank(health.message()) ? "" : ": " + health.message()), unhealthyResources(app));
        }
        return new WaitVerdict.Waiting("health is " + health.status()
                + (blank(health.message()) ? "" : ": " + health.message()));
    }

    /**
     * The resources that are not healthy or failed to sync, for progress and failure reports: failed results of the
     * last operation, then managed resources whose health is Degraded or Missing.
     */
    public static List<ResourceProblem> problems(Application app) {
        List<ResourceProblem> all = new ArrayList<>();
        OperationState state = app.status().operationState();
        if (state != null) {
            all.addAll(failedResults(state));
        }
        all.addAll(unhealthyResources(app));
        return all;
    }

    private static boolean sameOperation(OperationState state, Operation requested) {
        return state.operation() == null || state.operation().info().equals(requested.info());
    }

    private static String runningReason(OperationState state) {
        return "sync operation " + state.phase() + (blank(state.message()) ? "" : ": " + state.message());
    }

    private static String initiator(Operation operation) {
        var by = operation.initiatedBy();
        if (by == null) {
            return "";
        }
        if (Boolean.TRUE.equals(by.automated())) {
            return " (automated sync)";
        }
        return blank(by.username()) ? "" : " (started by " + by.username() + ")";
    }

    private static String outOfSync(Application app) {
        long count = app.status().resources().stream()
                .filter(r -> "OutOfSync".equals(r.status()))
                .count();
        return count == 0 ? "" : " (" + count + " resource" + (count == 1 ? "" : "s") + " OutOfSync)";
    }

    private static List<String> resultRevisions(OperationState state) {
        return state.syncResult() == null ? List.of() : state.syncResult().revisions();
    }

    private static boolean matches(String expected, String revision, List<String> revisions) {
        return Expectation.sameRevision(expected, revision)
                || revisions.stream().anyMatch(reported -> Expectation.sameRevision(expected, reported));
    }

    private static List<ResourceProblem> failedResults(OperationState state) {
        if (state.syncResult() == null) {
            return List.of();
        }
        List<ResourceProblem> failed = new ArrayList<>();
        for (ResourceResult r : state.syncResult().resources()) {
            if ("SyncFailed".equals(r.status())) {
                failed.add(new ResourceProblem(r.kind(), r.namespace(), r.name(), "SyncFailed", r.message()));
            } else if ("Failed".equals(r.hookPhase()) || "Error".equals(r.hookPhase())) {
                String what = blank(r.hookType()) ? r.hookPhase() : r.hookType() + " hook " + r.hookPhase();
                failed.add(new ResourceProblem(r.kind(), r.namespace(), r.name(), what, r.message()));
            }
        }
        return failed;
    }

    private static List<ResourceProblem> pruneSkipped(OperationState state) {
        if (state.syncResult() == null) {
            return List.of();
        }
        return state.syncResult().resources().stream()
                .filter(r -> "PruneSkipped".equals(r.status()))
                .map(r -> new ResourceProblem(r.kind(), r.namespace(), r.name(), "PruneSkipped", r.message()))
                .toList();
    }

    private static List<ResourceProblem> unhealthyResources(Application app) {
        List<ResourceProblem> unhealthy = new ArrayList<>();
        for (ResourceStatus r : app.status().resources()) {
            if (r.health() != null && (r.health().status() == HealthStatusCode.Degraded
                    || r.health().status() == HealthStatusCode.Missing)) {
                unhealthy.add(new ResourceProblem(
                        r.kind(), r.namespace(), r.name(), r.health().status().name(), r.health().message()));
            }
        }
        return unhealthy;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
