package io.jenkins.plugins.gitops;

/**
 * The Argo CD side of the {@code gitopsSetImage} arguments ({@code app}, {@code server}, the Kubernetes options), read
 * as {@link SyncSettings} so that the Application is reached exactly as {@code gitopsSync} reaches it: a server of the
 * global configuration, a kubeconfig credential, or the in-cluster access the administrator allowed. The step's
 * {@code credentialsId} is the git credential, so there is no Argo CD URL with a job credential here; the sync-only
 * arguments keep their defaults.
 */
record ApplicationArguments(GitopsSetImageStep args) implements SyncArguments {
    @Override public String getApp() { return args.getApp(); }
    @Override public String getServer() { return args.getServer(); }
    @Override public String getUrl() { return null; }
    @Override public String getCredentialsId() { return null; }
    @Override public String getKubeconfigCredentialsId() { return args.getKubeconfigCredentialsId(); }
    @Override public boolean isKubernetes() { return args.isKubernetes(); }
    @Override public String getNamespace() { return args.getNamespace(); }
    @Override public String getProject() { return null; }
    @Override public String getRevision() { return null; }
    @Override public int getTimeout() { return 0; }
    @Override public boolean isPrune() { return false; }
    @Override public boolean isDryRun() { return false; }
    @Override public String getSyncOptions() { return null; }
    @Override public String getSyncMode() { return null; }
    @Override public String getHealth() { return null; }
    @Override public boolean isTerminateOnAbort() { return false; }
    @Override public boolean isTerminateOnTimeout() { return false; }
}
