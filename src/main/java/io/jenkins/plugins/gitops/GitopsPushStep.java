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
import io.jenkins.plugins.gitops.core.DurationText;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequest;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousResumeNotSupportedException;
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
 * from it, or updates the open one, and also returns {@code [url:, number:, created:]}; with {@code waitForMerge} it
 * then waits, without holding a thread, until that pull request is merged, and returns the merge commit as {@code sha}.
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
    private String waitForMerge;

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

    public String getWaitForMerge() {
        return waitForMerge;
    }

    /** With {@code pullRequest: true}: how long to wait for its merge, e.g. {@code 30m}; null or empty: no wait. */
    @DataBoundSetter
    public void setWaitForMerge(String waitForMerge) {
        this.waitForMerge = Util.fixEmptyAndTrim(waitForMerge);
    }

    /**
     * The push runs off the CPS thread, on the agent that holds the workspace, and cannot resume after a restart (as
     * {@link GeneralNonBlockingStepExecution} has it). The merge wait that may follow is durable and asynchronous like
     * {@code gitopsSync}'s: it holds no thread, and {@link #onResume()} attaches to the pull request again. Only the
     * {@link PendingMerge} (ids, number, deadline) is part of the program state; it is set once the pull request is
     * open, and saved with the program when Jenkins shuts down.
     *
     * <p>The end of a wait is reported exactly once, by whichever comes first: the wait's end, {@link #stop}, or a
     * failure to attach.
     */
    private static final class Execution extends GeneralNonBlockingStepExecution {

        private static final long serialVersionUID = 1L;
        private static final Logger LOGGER = Logger.getLogger(Execution.class.getName());

        private final transient GitopsPushStep step;
        private volatile PendingMerge merge;
        private transient volatile CompletableFuture<PullRequest> waiting;
        private transient volatile boolean stopping;
        /** Set by the one path that reports the end of the wait; false again after a restart. */
        private transient boolean ended;

        Execution(GitopsPushStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        public boolean start() throws Exception {
            run(this::push);
            return false;
        }

        private void push() throws Exception {
            CheckoutOperations.Pushed pushed = CheckoutOperations.push(step, getContext().get(Run.class),
                    getContext().get(FilePath.class), getContext().get(TaskListener.class));
            if (pushed.merge() == null) {
                getContext().onSuccess(pushed.value());
                return;
            }
            merge = pushed.merge();
            attach(false);
        }

        @Override
        public void onResume() {
            if (merge == null) {
                // The restart came before the pull request was open: the push cannot be resumed.
                getContext().onFailure(new SynchronousResumeNotSupportedException(getContext()));
                return;
            }
            // Looking the credential up may block: not on the CPS VM thread that calls onResume.
            SyncThreads.get().blocking().execute(() -> {
                try {
                    attach(true);
                } catch (Throwable e) {
                    if (end()) {
                        getContext().onFailure(e);
                    }
                }
            });
        }

        private void attach(boolean resumed) throws IOException, InterruptedException {
            SyncThreads threads = SyncThreads.get(); // the threads the wait runs on (PendingMerge takes the same)
            Run<?, ?> run = getContext().get(Run.class);
            CompletableFuture<PullRequest> future = merge.start(run, getContext().get(TaskListener.class), resumed);
            waiting = future;
            if (stopping) {
                future.cancel(false); // stop() came while attaching and saw no wait to cancel
            }
            future.whenComplete((pullRequest, error) -> finish(threads, run, pullRequest, error));
        }

        /** True for the first caller only: the one that reports the end of the step. */
        private synchronized boolean end() {
            boolean first = !ended;
            ended = true;
            return first;
        }

        private void finish(SyncThreads threads, Run<?, ?> run, PullRequest pullRequest, Throwable error) {
            if (stopping) {
                return; // stop() reported the end
            }
            if (threads.endedWithItsJenkins(error)) {
                LOGGER.log(Level.FINE, "merge wait for " + merge.url() + " ended with its Jenkins; it resumes after the restart",
                        error);
                return;
            }
            if (!end()) {
                return;
            }
            if (error != null) {
                getContext().onFailure(PendingMerge.failure(error));
                return;
            }
            try {
                getContext().onSuccess(merge.merged(run, pullRequest));
            } catch (IOException | RuntimeException e) {
                getContext().onFailure(e);
            }
        }

        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            stopping = true;
            if (!end()) {
                return; // the wait ended first
            }
            CompletableFuture<PullRequest> wait = waiting;
            if (wait != null) {
                wait.cancel(false);
            }
            super.stop(cause);
        }

        @NonNull
        @Override
        public String getStatus() {
            PendingMerge pending = merge;
            if (pending == null) {
                return super.getStatus();
            }
            long left = pending.deadlineMillis() - System.currentTimeMillis();
            return left > 0
                    ? "waiting for the merge of " + pending.url() + " for another " + Util.getTimeSpanString(left)
                    : "waiting for the merge of " + pending.url() + " past its deadline";
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

        public FormValidation doCheckWaitForMerge(@QueryParameter String value) {
            String text = Util.fixEmptyAndTrim(value);
            if (text == null || text.contains("$")) {
                return FormValidation.ok(); // no wait, or a build variable
            }
            try {
                DurationText.parse(text);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
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
