package io.jenkins.plugins.gitops;

/**
 * The arguments {@code gitopsSync} and the "Sync Argo CD application" build step share; both bind them from their
 * forms and hand them to {@link SyncSettings#of}.
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
}
