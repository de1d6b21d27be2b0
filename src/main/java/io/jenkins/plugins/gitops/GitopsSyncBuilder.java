package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The freestyle twin of {@code gitopsSync}: same arguments, same code path ({@link SyncSettings},
 * {@link ApplicationSync}); it holds the executor while it waits, as any freestyle build step does.
 * Its symbol differs from the step's name, since a Pipeline step name always wins over a symbol.
 */
public final class GitopsSyncBuilder extends Builder implements SimpleBuildStep, SyncArguments {

    private final String app;
    private String server;
    private String url;
    private String credentialsId;
    private String kubeconfigCredentialsId;
    private boolean kubernetes;
    private String namespace;
    private String project;
    private String revision;
    private int timeout;
    private boolean prune;
    private boolean dryRun;
    private String syncOptions;
    private String syncMode;
    private String health;
    private boolean terminateOnAbort;
    private boolean terminateOnTimeout;

    @DataBoundConstructor
    public GitopsSyncBuilder(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public boolean requiresWorkspace() {
        return false;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull EnvVars env, @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        SyncSettings settings = SyncSettings.of(this);
        String expected = settings.revision != null
                ? env.expand(settings.revision)
                : GitopsDeploymentAction.of(run).lastPushedCommit();
        BuildCredentials credentials = new BuildCredentials(run);
        try (ApplicationSync sync = ApplicationSync.open(settings, credentials)) {
            PrintStream log = credentials.mask(listener).getLogger();
            log.println(Messages.GitopsSyncStep_waiting(
                    settings.applicationRef(), sync.describe(),
                    expected == null ? Messages.GitopsSyncStep_anyRevision() : expected,
                    Util.getTimeSpanString(TimeUnit.SECONDS.toMillis(settings.timeoutSeconds))));
            CompletableFuture<SyncResult> wait = sync.start(
                    settings.waitRequest(expected, Duration.ofSeconds(settings.timeoutSeconds), null),
                    line -> log.println("[Argo CD] " + line));
            SyncResult result;
            try {
                result = wait.get();
            } catch (InterruptedException e) {
                wait.cancel(false);
                sync.record(run, "ABORTED", null, Messages.GitopsSyncBuilder_aborted());
                if (settings.terminateOnAbort) {
                    log.println(Messages.GitopsSyncStep_terminating(settings.applicationRef()));
                    try {
                        sync.terminate().get(30, TimeUnit.SECONDS);
                    } catch (Exception terminateFailed) {
                        log.println(Messages.GitopsSyncStep_terminateFailed(
                                settings.applicationRef(), ApplicationSync.unwrap(terminateFailed).getMessage()));
                    }
                }
                throw e;
            } catch (ExecutionException e) {
                Throwable cause = ApplicationSync.forBuild(e.getCause());
                sync.record(run, "FAILED", null, String.valueOf(cause.getMessage()));
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException(cause);
            }
            sync.conclude(run, result, log);
        }
    }

    @Override
    public String getApp() {
        return app;
    }

    @Override
    public String getServer() {
        return server;
    }

    @DataBoundSetter
    public void setServer(String server) {
        this.server = Util.fixEmptyAndTrim(server);
    }

    @Override
    public String getUrl() {
        return url;
    }

    @DataBoundSetter
    public void setUrl(String url) {
        this.url = Util.fixEmptyAndTrim(url);
    }

    @Override
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @Override
    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    @DataBoundSetter
    public void setKubeconfigCredentialsId(String kubeconfigCredentialsId) {
        this.kubeconfigCredentialsId = Util.fixEmptyAndTrim(kubeconfigCredentialsId);
    }

    @Override
    public boolean isKubernetes() {
        return kubernetes;
    }

    @DataBoundSetter
    public void setKubernetes(boolean kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    @Override
    public String getProject() {
        return project;
    }

    @DataBoundSetter
    public void setProject(String project) {
        this.project = Util.fixEmptyAndTrim(project);
    }

    @Override
    public String getRevision() {
        return revision;
    }

    @DataBoundSetter
    public void setRevision(String revision) {
        this.revision = Util.fixEmptyAndTrim(revision);
    }

    @Override
    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    @Override
    public boolean isPrune() {
        return prune;
    }

    @DataBoundSetter
    public void setPrune(boolean prune) {
        this.prune = prune;
    }

    @Override
    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @Override
    public String getSyncOptions() {
        return syncOptions;
    }

    @DataBoundSetter
    public void setSyncOptions(String syncOptions) {
        this.syncOptions = Util.fixEmptyAndTrim(syncOptions);
    }

    @Override
    public String getSyncMode() {
        return syncMode;
    }

    @DataBoundSetter
    public void setSyncMode(String syncMode) {
        String mode = Util.fixEmptyAndTrim(syncMode);
        this.syncMode = "auto".equals(mode) ? null : mode;
    }

    @Override
    public String getHealth() {
        return health;
    }

    @DataBoundSetter
    public void setHealth(String health) {
        String accepted = Util.fixEmptyAndTrim(health);
        this.health = "Healthy".equals(accepted) ? null : accepted;
    }

    @Override
    public boolean isTerminateOnAbort() {
        return terminateOnAbort;
    }

    @DataBoundSetter
    public void setTerminateOnAbort(boolean terminateOnAbort) {
        this.terminateOnAbort = terminateOnAbort;
    }

    @Override
    public boolean isTerminateOnTimeout() {
        return terminateOnTimeout;
    }

    @DataBoundSetter
    public void setTerminateOnTimeout(boolean terminateOnTimeout) {
        this.terminateOnTimeout = terminateOnTimeout;
    }

    @Extension
    @Symbol("gitopsSyncBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        public DescriptorImpl() {
            for (String field : new String[] {"app", "server", "url", "credentialsId", "kubeconfigCredentialsId",
                    "kubernetes", "namespace", "project", "revision", "timeout", "prune", "dryRun", "syncOptions",
                    "syncMode", "health", "terminateOnAbort", "terminateOnTimeout"}) {
                addHelpFileRedirect(field, GitopsSyncStep.class, field);
            }
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsSyncBuilder_displayName();
        }

        public FormValidation doCheckApp(@QueryParameter String value) {
            return JobForms.required(value, Messages.SyncSettings_appRequired());
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return JobForms.checkTimeout(value);
        }

        public FormValidation doCheckHealth(@QueryParameter String value) {
            return JobForms.checkHealth(value);
        }

        @POST
        public ListBoxModel doFillServerItems(@AncestorInPath Item item) {
            return JobForms.servers(item);
        }

        public ListBoxModel doFillSyncModeItems() {
            return JobForms.syncModes();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String url, @QueryParameter String credentialsId) {
            return JobForms.credentials(item, url, credentialsId, JobForms.ARGO_CD);
        }

        public FormValidation doCheckCredentialsId(
                @AncestorInPath Item item, @QueryParameter String url, @QueryParameter String value) {
            return JobForms.checkCredentials(item, url, value, JobForms.ARGO_CD);
        }

        @POST
        public ListBoxModel doFillKubeconfigCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String kubeconfigCredentialsId) {
            return JobForms.credentials(item, null, kubeconfigCredentialsId, JobForms.KUBECONFIG);
        }

        public FormValidation doCheckKubeconfigCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return JobForms.checkCredentials(item, null, value, JobForms.KUBECONFIG);
        }
    }
}
