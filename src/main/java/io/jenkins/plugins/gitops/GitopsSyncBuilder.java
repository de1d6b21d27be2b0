package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import java.io.IOException;
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
        SyncSettings settings = SyncSettings.of(BuildVariables.expanded(sync, env, listener));
        String expected = settings.revision != null
                ? settings.revision
                : GitopsDeploymentAction.of(run).lastPushedCommit();
        ApplicationSync.syncAndWait(settings, expected, run, listener);
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
