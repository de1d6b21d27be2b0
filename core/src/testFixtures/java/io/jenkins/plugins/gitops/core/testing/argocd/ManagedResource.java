package io.jenkins.plugins.gitops.core.testing.argocd;

/**
 * A Kubernetes resource the simulated application manages (it appears in {@code status.resources}, the
 * sync result, the resource tree and the managed resources), or a hook Job.
 *
 * @param group   API group, {@code ""} for the core group
 * @param version API version
 * @param kind    kind
 * @param name    name; the namespace is the application's destination namespace
 */
public record ManagedResource(String group, String version, String kind, String name) {

    public static ManagedResource deployment(String name) {
        return new ManagedResource("apps", "v1", "Deployment", name);
    }

    public static ManagedResource service(String name) {
        return new ManagedResource("", "v1", "Service", name);
    }

    public static ManagedResource job(String name) {
        return new ManagedResource("batch", "v1", "Job", name);
    }

    /** How kubectl names it in apply messages, e.g. {@code deployment.apps/guestbook-ui}. */
    String kubectlName() {
        return kind.toLowerCase(java.util.Locale.ROOT) + (group.isEmpty() ? "" : "." + group) + "/" + name;
    }

    /** How gitops-engine names a hook in operation messages, e.g. {@code batch/Job/db-migrate}. */
    String hookName() {
        return (group.isEmpty() ? "" : group + "/") + kind + "/" + name;
    }
}
