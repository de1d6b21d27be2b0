package io.jenkins.plugins.gitops;

/**
 * What {@link SyncSettings#of} reads: the arguments of {@code gitopsSync} (which the "Sync Argo CD application" build
 * step holds), or the Argo CD side of {@code gitopsSetImage writeBack: 'argocd'}.
 */
interface SyncArguments {

    String getApp();

    String getServer();

    String getUrl();

    String getCredentialsId();

    String getKubeconfigCredentialsId();

    boolean isKubernetes();

    String getNamespace();

    String getProject();

    String getRevision();

    int getTimeout();

    boolean isPrune();

    boolean isDryRun();

    String getSyncOptions();

    String getSyncMode();

    String getHealth();

    boolean isTerminateOnAbort();

    boolean isTerminateOnTimeout();

    /** How long to wait for the application to exist before syncing ({@code 5m}); null not to wait. */
    default String getWaitForApp() {
        return null;
    }
}
