package io.jenkins.plugins.gitops.core.argocd;

/** Whether a read first asks the controller to compare the app with git again. */
public enum Refresh {
    /** Read the stored state as it is. */
    NONE,
    /** Re-resolve the target revision and compare (picks up a new commit without waiting for the poll). */
    NORMAL,
    /** As {@link #NORMAL}, and also drop the cached manifests (for generators whose output changed). */
    HARD
}
