package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.argocd.Application.Info;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What "done" means for one wait, the second input of {@link DoneCondition#evaluate}.
 *
 * @param revision the commit SHA the app must run (compared with the sync status and the operation's result); null to
 *     accept whatever revision the target resolves to
 * @param acceptedHealth health states that count as done (default {@code Healthy} only)
 * @param operationMarker an {@code operation.info} pair the waiter put on the sync it started; when set, only an
 *     operation carrying it counts (so an older operation can never be taken for ours). Null when the waiter did not
 *     start the operation (auto-sync apps, or one already running that may deploy our commit).
 * @param dryRun the operation was a dry run: done once it succeeded (the live state does not change)
 */
public record Expectation(String revision, Set<HealthStatusCode> acceptedHealth, Info operationMarker, boolean dryRun) {

    public Expectation {
        revision = revision == null || revision.isBlank() ? null : revision.trim();
        acceptedHealth = acceptedHealth == null || acceptedHealth.isEmpty()
                ? Set.of(HealthStatusCode.Healthy)
                : Set.copyOf(EnumSet.copyOf(acceptedHealth));
    }

    /** Done at {@code revision} (or any, when null) once Synced and Healthy, whoever ran the operation. */
    public static Expectation atRevision(String revision) {
        return new Expectation(revision, Set.of(HealthStatusCode.Healthy), null, false);
    }

    public Expectation withAcceptedHealth(Set<HealthStatusCode> health) {
        return new Expectation(revision, health, operationMarker, dryRun);
    }

    public Expectation withOperationMarker(Info marker) {
        return new Expectation(revision, acceptedHealth, Objects.requireNonNull(marker), dryRun);
    }

    public Expectation withoutOperationMarker() {
        return new Expectation(revision, acceptedHealth, null, dryRun);
    }

    public Expectation withDryRun(boolean newDryRun) {
        return new Expectation(revision, acceptedHealth, operationMarker, newDryRun);
    }
}
