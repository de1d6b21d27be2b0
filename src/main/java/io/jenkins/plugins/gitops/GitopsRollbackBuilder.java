package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
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
 * The freestyle form of {@code gitopsRollback}: it holds the Pipeline step itself as its one nested argument (its form
 * is the step's, through {@code f:property}) and runs the same code path ({@link CheckoutOperations#rollback}). Build
 * variables are expanded in every string argument. Its symbol differs from the step's name, since a Pipeline step
 * name always wins over a symbol.
 */
public final class GitopsRollbackBuilder extends Builder implements SimpleBuildStep {

    private final GitopsRollbackStep rollback;

    @DataBoundConstructor
    public GitopsRollbackBuilder(GitopsRollbackStep rollback) {
        this.rollback = rollback;
    }

    public GitopsRollbackStep getRollback() {
        return rollback;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        CheckoutOperations.rollback(BuildVariables.expanded(rollback, env, listener), run, workspace, listener);
    }

    @Extension
    @Symbol("gitopsRollbackBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsRollbackBuilder_displayName();
        }
    }
}
