package io.jenkins.plugins.gitops.core.argocd;

/**
 * A resource that keeps an application from being done: a failed sync or hook, or a health state that is not
 * accepted.
 *
 * @param state e.g. {@code SyncFailed}, {@code hook Failed}, {@code Degraded}, {@code PruneSkipped}
 * @param message what the controller said about it; may be null
 */
public record ResourceProblem(String kind, String namespace, String name, String state, String message) {

    /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped resources. */
    public String displayName() {
        return Application.ResourceStatus.display(kind, namespace, name);
    }

    @Override
    public String toString() {
        return displayName() + ": " + state + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
