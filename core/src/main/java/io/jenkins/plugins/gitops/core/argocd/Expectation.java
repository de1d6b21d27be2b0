package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.argocd.Application.Info;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What "done" means for one wait, the second input of {@link DoneCondition#evaluate}.
 *
 * @param revision the commit SHA the app must run (compared with the sync status and the operation's result, see
 *     {@link #sameRevision}); null to accept whatever revision the target resolves to
 * @param acceptedHealth health states that count as done (default {@code Healthy} only)
 * @param operationMarker an {@code operation.info} pair the waiter put on the sync it started; when set, only an
 *     operation carrying it counts (so an older operation can never be taken for ours). Null when the waiter did not
 *     start the operation (auto-sync apps, or one already running that may deploy our commit).
 * @param dryRun the operation was a dry run: done once it succeeded (the live state does not change)
 */
public record Expectation(String revision, Set<HealthStatusCode> acceptedHealth, Info operationMarker, boolean dryRun) {

    /** An abbreviated commit SHA: 7 hex digits at least, as {@code git rev-parse --short} prints one. */
    private static final Pattern ABBREVIATED_SHA = Pattern.compile("[0-9a-fA-F]{7,39}");

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

    /**
     * Whether {@code reported}, a revision as Argo CD reports it (a full commit SHA), is {@code expected}: the same text
     * in any case, or the full SHA of which {@code expected} is an abbreviation of at least 7 hex digits.
     */
    public static boolean sameRevision(String expected, String reported) {
        if (expected == null || reported == null) {
            return false;
        }
        return expected.equalsIgnoreCase(reported)
                || ABBREVIATED_SHA.matcher(expected).matches() && reported.length() > expected.length()
                && reported.regionMatches(true, 0, expected, 0, expected.length());
    }
}
