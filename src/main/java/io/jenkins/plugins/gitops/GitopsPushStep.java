package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code gitopsPush}: commits what the earlier {@code gitopsSetImage} calls changed and pushes it, race-safely: when
 * another push lands first, it fetches the new tip, applies the same edits again and retries (bounded, with
 * jittered backoff). Never forces. Returns {@code [sha:, branch:, attempts:, changed:]}; {@code gitopsSync} waits
 * for that commit by default. With {@code pullRequest: true} it pushes to a branch of its own and opens a pull request
 * from it, or updates the open one, and also returns {@code [url:, number:, created:]}.
 */
public final class GitopsPushStep extends Step {

    private String dir;
    private String repo;
    private String credentialsId;
    private String branch;
    private String message;
    private String authorName;
    private String authorEmail;
    private int attempts = UpdateLoop.DEFAULT_MAX_ATTEMPTS;
    private boolean pullRequest;
    private String pullRequestCredentialsId;
    private String provider;
    private String apiUrl;
    private String pullRequestBranch;
    private String title;
    private String body;
    private String labels;
    private boolean draft;

    /** Every argument is optional: by default the checkout of this build's last gitopsSetImage. */
    @DataBoundConstructor
    public GitopsPushStep() {}

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Util.fixEmptyAndTrim(dir);
    }

    public String getRepo() {
        return repo;
    }

    @DataBoundSetter
    public void setRepo(String repo) {
        this.repo = Util.fixEmptyAndTrim(repo);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getBranch() {
        return branch;
    }

    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = Util.fixEmptyAndTrim(branch);
    }

    public String getMessage() {
        return message;
    }

    @DataBoundSetter
    public void setMessage(String message) {
        this.message = Util.fixEmptyAndTrim(message);
    }

    public String getAuthorName() {
        return authorName;
    }

    @DataBoundSetter
    public void setAuthorName(String authorName) {
        this.authorName = Util.fixEmptyAndTrim(authorName);
    }

    public String getAuthorEmail() {
        return authorEmail;
    }

    @DataBoundSetter
    public void setAuthorEmail(String authorEmail) {
        this.authorEmail = Util.fixEmptyAndTrim(authorEmail);
    }

    public int getAttempts() {
        return attempts;
    }

    @DataBoundSetter
    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    public boolean isPullRequest() {
        return pullRequest;
    }

    @DataBoundSetter
    public void setPullRequest(boolean pullRequest) {
        this.pullRequest = pullRequest;
    }

    public String getPullRequestCredentialsId() {
        return pullRequestCredentialsId;
    }

    @DataBoundSetter
    public void setPullRequestCredentialsId(String pullRequestCredentialsId) {
        this.pullRequestCredentialsId = Util.fixEmptyAndTrim(pullRequestCredentialsId);
    }

    public String getProvider() {
        return provider;
    }

    @DataBoundSetter
    public void setProvider(String provider) {
        this.provider = Util.fixEmptyAndTrim(provider);
    }

    public String getApiUrl() {
        return apiUrl;
    }

    @DataBoundSetter
    public void setApiUrl(String apiUrl) {
        this.apiUrl = Util.fixEmptyAndTrim(apiUrl);
    }

    public String getPullRequestBranch() {
        return pullRequestBranch;
    }

    @DataBoundSetter
    public void setPullRequestBranch(String pullRequestBranch) {
        this.pullRequestBranch = Util.fixEmptyAndTrim(pullRequestBranch);
    }

    public String getTitle() {
        return title;
    }

    @DataBoundSetter
    public void setTitle(String title) {
        this.title = Util.fixEmpty(title);
    }

    public String getBody() {
        return body;
    }

    @DataBoundSetter
    public void setBody(String body) {
        this.body = Util.fixEmpty(body);
    }

    public String getLabels() {
        return labels;
    }

    @DataBoundSetter
    public void setLabels(String labels) {
        this.labels = Util.fixEmptyAndTrim(labels);
    }

    public boolean isDraft() {
        return draft;
    }

    @DataBoundSetter
    public void setDraft(boolean draft) {
        this.draft = draft;
    }

    /** Runs off the CPS thread; the work itself runs on the agent that holds the workspace. */
    private static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

        private static final long serialVersionUID = 1L;

        private final transient GitopsPushStep step;

        Execution(GitopsPushStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return CheckoutOperations.push(step, getContext().get(Run.class), getContext().get(FilePath.class),
                    getContext().get(TaskListener.class));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "gitopsPush";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsPushStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, TaskListener.class);
        }

        public FormValidation doCheckDir(@QueryParameter String value) {
            return JobForms.checkDir(value);
        }

        public FormValidation doCheckAttempts(@QueryParameter String value) {
            return JobForms.checkAttempts(value);
        }

        @POST
        public ListBoxModel doFillPullRequestCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String repo, @QueryParameter String pullRequestCredentialsId) {
            return JobForms.credentials(item, repo, pullRequestCredentialsId, JobForms.TOKEN);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String repo, @QueryParameter String credentialsId) {
            return JobForms.credentials(item, repo, credentialsId, JobForms.GIT);
        }

        /** Tells whether a credential exists: POST only, like the drop-down that lists them. */
        @POST
        public FormValidation doCheckCredentialsId(
                @AncestorInPath Item item, @QueryParameter String repo, @QueryParameter String value) {
            return JobForms.checkCredentials(item, repo, value, JobForms.GIT);
        }
    }
}
