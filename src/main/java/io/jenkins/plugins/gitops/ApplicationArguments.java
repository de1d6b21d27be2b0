package io.jenkins.plugins.gitops;

/**
 * The Argo CD side of the {@code gitopsSetImage app:} and {@code gitopsRollback} arguments ({@code app},
 * {@code server}, the Kubernetes options), read as {@link SyncSettings} so that the Application is reached (and, for a
 * rollback, synced) exactly as {@code gitopsSync} reaches it: a server of the global configuration, a kubeconfig
 * credential, or the in-cluster access the administrator allowed. These steps' {@code credentialsId} is the git
 * credential, so there is no Argo CD URL with a job credential here; the sync-only arguments keep their defaults.
 */
record ApplicationArguments(String app, String server, String kubeconfigCredentialsId, boolean kubernetes,
                            String namespace, int timeout) implements SyncArguments {

    static ApplicationArguments of(GitopsSetImageStep step) {
        return new ApplicationArguments(step.getApp(), step.getServer(), step.getKubeconfigCredentialsId(),
                step.isKubernetes(), step.getNamespace(), 0);
    }

    static ApplicationArguments of(GitopsRollbackStep step) {
        return new ApplicationArguments(step.getApp(), step.getServer(), step.getKubeconfigCredentialsId(),
                step.isKubernetes(), step.getNamespace(), step.getTimeout());
    }

    @Override public String getApp() { return app; }
    @Override public String getServer() { return server; }
    @Override public String getUrl() { return null; }
    @Override public String getCredentialsId() { return null; }
    @Override public String getKubeconfigCredentialsId() { return kubeconfigCredentialsId; }
    @Override public boolean isKubernetes() { return kubernetes; }
    @Override public String getNamespace() { return namespace; }
    @Override public String getProject() { return null; }
    @Override public String getRevision() { return null; }
    @Override public int getTimeout() { return timeout; }
    @Override public boolean isPrune() { return false; }
    @Override public boolean isDryRun() { return false; }
    @Override public String getSyncOptions() { return null; }
    @Override public String getSyncMode() { return null; }
    @Override public String getHealth() { return null; }
    @Override public boolean isTerminateOnAbort() { return false; }
    @Override public boolean isTerminateOnTimeout() { return false; }
}
