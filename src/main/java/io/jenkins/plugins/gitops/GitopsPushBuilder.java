package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The freestyle twin of {@code gitopsPush}: same arguments and code path ({@link CheckoutOperations}). Its symbol
 * differs from the step's name, since a Pipeline step name always wins over a symbol.
 */
public final class GitopsPushBuilder extends Builder implements SimpleBuildStep, PushArguments {

    private String dir;
    private String repo;
    private String credentialsId;
    private String branch;
    private String message;
    private String authorName;
    private String authorEmail;
    private int attempts = UpdateLoop.DEFAULT_MAX_ATTEMPTS;

    /** Every argument is optional: by default the checkout of this build's last set-image build step. */
    @DataBoundConstructor
    public GitopsPushBuilder() {}

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        CheckoutOperations.push(this, run, workspace, listener);
    }

    @Override
    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Util.fixEmptyAndTrim(dir);
    }

    @Override
    public String getRepo() {
        return repo;
    }

    @DataBoundSetter
    public void setRepo(String repo) {
        this.repo = Util.fixEmptyAndTrim(repo);
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
    public String getBranch() {
        return branch;
    }

    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = Util.fixEmptyAndTrim(branch);
    }

    @Override
    public String getMessage() {
        return message;
    }

    @DataBoundSetter
    public void setMessage(String message) {
        this.message = Util.fixEmptyAndTrim(message);
    }

    @Override
    public String getAuthorName() {
        return authorName;
    }

    @DataBoundSetter
    public void setAuthorName(String authorName) {
        this.authorName = Util.fixEmptyAndTrim(authorName);
    }

    @Override
    public String getAuthorEmail() {
        return authorEmail;
    }

    @DataBoundSetter
    public void setAuthorEmail(String authorEmail) {
        this.authorEmail = Util.fixEmptyAndTrim(authorEmail);
    }

    @Override
    public int getAttempts() {
        return attempts;
    }

    @DataBoundSetter
    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    @Extension
    @Symbol("gitopsPushBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        public DescriptorImpl() {
            for (String field : new String[] {"dir", "repo", "credentialsId", "branch", "message", "authorName", "authorEmail", "attempts"}) {
                addHelpFileRedirect(field, GitopsPushStep.class, field);
            }
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsPushBuilder_displayName();
        }

        public FormValidation doCheckDir(@QueryParameter String value) {
            return JobForms.checkDir(value);
        }

        public FormValidation doCheckAttempts(@QueryParameter String value) {
            return JobForms.checkAttempts(value);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String repo, @QueryParameter String credentialsId) {
            return JobForms.credentials(item, repo, credentialsId, JobForms.GIT);
        }

        public FormValidation doCheckCredentialsId(
                @AncestorInPath Item item, @QueryParameter String repo, @QueryParameter String value) {
            return JobForms.checkCredentials(item, repo, value, JobForms.GIT);
        }
    }
}
