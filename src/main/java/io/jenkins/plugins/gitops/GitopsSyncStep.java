package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitops.core.DurationText;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code gitopsSync}: refresh and sync an Argo CD application, then wait until it runs the expected commit, Synced
 * and Healthy. The expected commit defaults to this build's last {@code gitopsPush}.
 *
 * <p>A durable asynchronous step, like {@code sleep}: {@link Execution#start()} returns at once, the wait runs on
 * core's non-blocking {@code SyncWaiter} (no executor, no thread held), and after a controller restart
 * {@link Execution#onResume()} looks the credentials up again and re-attaches to the application.
 */
public final class GitopsSyncStep extends Step implements SyncArguments {

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
    private String waitForApp;

    /** @param app the application; null for the one this build's last {@code gitopsSetImage app:} named */
    @DataBoundConstructor
    public GitopsSyncStep(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, SyncSettings.of(this, context.get(Run.class)));
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

    @Override
    public String getWaitForApp() {
        return waitForApp;
    }

    @DataBoundSetter
    public void setWaitForApp(String waitForApp) {
        this.waitForApp = Util.fixEmptyAndTrim(waitForApp);
    }

    /**
     * Waits off the CPS thread. Only ids, names, the expected commit and the deadline are part of the program state;
     * the connection and the wait are transient and rebuilt by {@link #onResume()}.
     *
     * <p>The end of the step is reported exactly once, by whichever comes first: the wait's end, {@link #stop}, or a
     * failure to attach.
     */
    public static final class Execution extends StepExecution {

        private static final long serialVersionUID = 1L;
        private static final Logger LOGGER = Logger.getLogger(Execution.class.getName());
        /** After a restart past the deadline, one last look before giving up. */
        private static final Duration RESUME_GRACE = Duration.ofSeconds(30);
        private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(30);

        private final SyncSettings settings;
        private String expectedRevision;
        private long deadlineMillis;
        /** Identifies the sync operation this step starts, so that a resumed wait follows it instead of syncing again. */
        private String operationId;
        private transient volatile ApplicationSync connection;
        private transient volatile CompletableFuture<SyncResult> waiting;
        private transient volatile boolean stopping;
        /** Set by the one path that reports the step's end; false again after a restart. */
        private transient boolean ended;

        Execution(StepContext context, SyncSettings settings) {
            super(context);
            this.settings = settings;
        }

        @Override
        public boolean start() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            expectedRevision = settings.revision != null
                    ? settings.revision
                    : GitopsDeploymentAction.of(run).lastPushedCommit();
            // The timeout counts from when the application exists: waitForApp comes before it.
            deadlineMillis = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(settings.timeoutSeconds)
                    + (settings.waitForApp == null ? 0 : settings.waitForApp.toMillis());
            operationId = UUID.randomUUID().toString();
            attachElsewhere(false);
            return false;
        }

        @Override
        public void onResume() {
            attachElsewhere(true);
        }

        /**
         * Resolving the credentials and building the client (parsing a kubeconfig, TLS set-up) run on the plugin's
         * threads, never on the CPS VM thread that calls {@link #start()} and {@link #onResume()}.
         */
        private void attachElsewhere(boolean resumed) {
            SyncThreads.get().blocking().execute(() -> {
                try {
                    attach(resumed);
                } catch (Throwable e) {
                    if (end()) {
                        getContext().onFailure(e);
                    }
                }
            });
        }

        private void attach(boolean resumed) throws IOException, InterruptedException {
            SyncThreads threads = SyncThreads.get(); // the threads the wait runs on (ApplicationSync takes the same)
            Run<?, ?> run = getContext().get(Run.class);
            BuildCredentials credentials = new BuildCredentials(run);
            ApplicationSync sync = ApplicationSync.open(settings, credentials);
            PrintStream log = credentials.mask(getContext().get(TaskListener.class)).getLogger();
            long left = Math.min(deadlineMillis - System.currentTimeMillis(), TimeUnit.SECONDS.toMillis(settings.timeoutSeconds));
            Duration remaining = left > 0 ? Duration.ofMillis(left) : RESUME_GRACE;
            if (resumed) {
                log.println(Messages.GitopsSyncStep_resuming(settings.applicationRef(), sync.describe()));
            }
            log.println(Messages.GitopsSyncStep_waiting(
                    settings.applicationRef(), sync.describe(),
                    expectedRevision == null ? Messages.GitopsSyncStep_anyRevision() : expectedRevision,
                    Util.getTimeSpanString(remaining.toMillis())));
            connection = sync;
            if (stopping) {
                sync.close(); // stopped while attaching: stop() reported the end
                return;
            }
            CompletableFuture<SyncResult> future = sync.start(
                    settings.waitRequest(expectedRevision, remaining, operationId), line -> log.println("[Argo CD] " + line));
            waiting = future;
            if (stopping) {
                future.cancel(false); // stop() came between the check above and now, and saw no wait to cancel
            }
            future.whenComplete((result, error) -> finish(threads, run, sync, log, result, error));
        }

        /** True for the first caller only: the one that reports the end of the step. */
        private synchronized boolean end() {
            boolean first = !ended;
            ended = true;
            return first;
        }

        private void finish(
                SyncThreads threads, Run<?, ?> run, ApplicationSync sync, PrintStream log, SyncResult result, Throwable error) {
            if (stopping) {
                return; // stop() reports the end and closes the connection
            }
            try {
                if (threads.endedWithItsJenkins(error)) {
                    LOGGER.log(Level.FINE, "wait for " + settings.app + " ended with its Jenkins; it resumes after the restart",
                            error);
                    return;
                }
                if (!end()) {
                    return;
                }
                if (error != null) {
                    Throwable cause = ApplicationSync.forBuild(error);
                    sync.record(run, "FAILED", null, String.valueOf(cause.getMessage()));
                    getContext().onFailure(cause);
                    return;
                }
                sync.conclude(run, result, log);
                getContext().onSuccess(ApplicationSync.returnValue(settings, result));
            } catch (IOException | RuntimeException e) {
                getContext().onFailure(e);
            } finally {
                sync.close();
            }
        }

        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            stopping = true;
            if (!end()) {
                return; // the wait ended first
            }
            CompletableFuture<SyncResult> wait = waiting;
            if (wait != null) {
                wait.cancel(false);
            }
            ApplicationSync sync = connection;
            if (sync == null) {
                getContext().onFailure(cause);
                return;
            }
            Run<?, ?> run = getContext().get(Run.class);
            try {
                sync.record(run, "ABORTED", null, String.valueOf(cause.getMessage()));
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "could not record the aborted sync of " + settings.app, e);
            }
            if (!settings.terminateOnAbort) {
                sync.close();
                getContext().onFailure(cause);
                return;
            }
            TaskListener listener = getContext().get(TaskListener.class);
            listener.getLogger().println(Messages.GitopsSyncStep_terminating(settings.applicationRef()));
            sync.terminate()
                    .orTimeout(TERMINATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .whenComplete((done, error) -> {
                        if (error != null) {
                            listener.getLogger().println(Messages.GitopsSyncStep_terminateFailed(
                                    settings.applicationRef(), ApplicationSync.unwrap(error).getMessage()));
                        }
                        sync.close();
                        getContext().onFailure(cause);
                    });
        }

        @Override
        public String getStatus() {
            long left = deadlineMillis - System.currentTimeMillis();
            return left > 0
                    ? "waiting for " + settings.applicationRef() + " for another " + Util.getTimeSpanString(left)
                    : "waiting for " + settings.applicationRef() + " past its deadline";
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "gitopsSync";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsSyncStep_displayName();
        }

        /** Needs no workspace and no node: the wait runs on the controller without an executor. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public FormValidation doCheckWaitForApp(@QueryParameter String value) {
            String text = Util.fixEmptyAndTrim(value);
            try {
                if (text != null) {
                    DurationText.parse(text);
                }
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(Messages.SyncSettings_badWaitForApp(e.getMessage()));
            }
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

        /** Tells whether a credential exists: POST only, like the drop-down that lists them. */
        @POST
        public FormValidation doCheckCredentialsId(
                @AncestorInPath Item item, @QueryParameter String url, @QueryParameter String value) {
            return JobForms.checkCredentials(item, url, value, JobForms.ARGO_CD);
        }

        @POST
        public ListBoxModel doFillKubeconfigCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String kubeconfigCredentialsId) {
            return JobForms.credentials(item, null, kubeconfigCredentialsId, JobForms.KUBECONFIG);
        }

        /** Tells whether a credential exists: POST only, like the drop-down that lists them. */
        @POST
        public FormValidation doCheckKubeconfigCredentialsId(
                @AncestorInPath Item item, @QueryParameter String value) {
            return JobForms.checkCredentials(item, null, value, JobForms.KUBECONFIG);
        }

        @CheckForNull
        @Override
        public String argumentsToString(@NonNull java.util.Map<String, Object> namedArgs) {
            Object name = namedArgs.get("app");
            return name instanceof String s ? s : null;
        }
    }
}
