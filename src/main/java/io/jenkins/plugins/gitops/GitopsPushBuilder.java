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
 * The freestyle form of {@code gitopsPush}: it holds the Pipeline step itself as its one nested argument (its form is
 * the step's, through {@code f:property}). Build variables are expanded in every string argument. Its symbol differs
 * from the step's name, since a Pipeline step name always wins over a symbol. With {@code waitForMerge} it holds the
 * executor while it waits for the merge, as any freestyle build step does.
 */
public final class GitopsPushBuilder extends Builder implements SimpleBuildStep {

    private final GitopsPushStep push;

    @DataBoundConstructor
    public GitopsPushBuilder(GitopsPushStep push) {
        this.push = push;
    }

    public GitopsPushStep getPush() {
        return push;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        CheckoutOperations.Pushed pushed =
                CheckoutOperations.push(BuildVariables.expanded(push, env, listener), run, workspace, listener);
        PendingMerge merge = pushed.merge();
        if (merge != null) {
            merge.await(run, listener);
        }
    }

    @Extension
    @Symbol("gitopsPushBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsPushBuilder_displayName();
        }
    }
}
