package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
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
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * The freestyle form of {@code gitopsSync}: it holds the Pipeline step itself as its one nested argument (its form is
 * the step's, through {@code f:property}) and runs the same code path ({@link SyncSettings}, {@link ApplicationSync});
 * it holds the executor while it waits, as any freestyle build step does. Build variables are expanded in every
 * string argument. Its symbol differs from the step's name, since a Pipeline step name always wins over a symbol.
 */
public final class GitopsSyncBuilder extends Builder implements SimpleBuildStep {

    private final GitopsSyncStep sync;

    @DataBoundConstructor
    public GitopsSyncBuilder(GitopsSyncStep sync) {
        this.sync = sync;
    }

    public GitopsSyncStep getSync() {
        return sync;
    }

    @Override
    public boolean requiresWorkspace() {
        return false;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull EnvVars env, @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        SyncSettings settings = SyncSettings.of(BuildVariables.expanded(sync, env, listener), run);
        String expected = settings.revision != null
                ? settings.revision
                : GitopsDeploymentAction.of(run).lastPushedCommit();
        BuildCredentials credentials = new BuildCredentials(run);
        try (ApplicationSync application = ApplicationSync.open(settings, credentials)) {
            PrintStream log = credentials.mask(listener).getLogger();
            log.println(Messages.GitopsSyncStep_waiting(
                    settings.applicationRef(), application.describe(),
                    expected == null ? Messages.GitopsSyncStep_anyRevision() : expected,
                    Util.getTimeSpanString(TimeUnit.SECONDS.toMillis(settings.timeoutSeconds))));
            CompletableFuture<SyncResult> wait = application.start(
                    settings.waitRequest(expected, Duration.ofSeconds(settings.timeoutSeconds), null),
                    line -> log.println("[Argo CD] " + line));
            SyncResult result;
            try {
                result = wait.get();
            } catch (InterruptedException e) {
                wait.cancel(false);
                application.record(run, "ABORTED", null, Messages.GitopsSyncBuilder_aborted());
                if (settings.terminateOnAbort) {
                    log.println(Messages.GitopsSyncStep_terminating(settings.applicationRef()));
                    try {
                        application.terminate().get(30, TimeUnit.SECONDS);
                    } catch (Exception terminateFailed) {
                        log.println(Messages.GitopsSyncStep_terminateFailed(
                                settings.applicationRef(), ApplicationSync.unwrap(terminateFailed).getMessage()));
                    }
                }
                throw e;
            } catch (ExecutionException e) {
                Throwable cause = ApplicationSync.forBuild(e.getCause());
                application.record(run, "FAILED", null, String.valueOf(cause.getMessage()));
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException(cause);
            }
            application.conclude(run, result, log);
        }
    }

    @Extension
    @Symbol("gitopsSyncBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsSyncBuilder_displayName();
        }
    }
}
