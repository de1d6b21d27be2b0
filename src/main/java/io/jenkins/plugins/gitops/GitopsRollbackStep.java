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
 * {@code gitopsRollback}: sets an image back to the version it had before its last change in the config repository (or
 * to {@code to}), as a new commit on top of the branch, never forced, with core's rollback; then syncs the application
 * as {@code gitopsSync} does unless {@code sync: false}. The repository, branch and files come from the Argo CD
 * Application ({@code app}), or from {@code repo} and {@code path}. Returns {@code [outcome:, image:, from:, to:,
 * undone:, sha:, branch:, attempts:, sync:]}; the outcome {@code NOTHING_TO_ROLL_BACK_TO} says the history holds no
 * earlier version (nothing pushed, nothing synced).
 */
public final class GitopsRollbackStep extends Step {

    private final String image;
    private String to;
    private boolean sync = true;
    private String app;
    private String server;
    private String kubeconfigCredentialsId;
    private boolean kubernetes;
    private String namespace;
    private String repo;
    private String credentialsId;
    private String path;
    private String branch;
    private int timeout;
    private int attempts = UpdateLoop.DEFAULT_MAX_ATTEMPTS;

    @DataBoundConstructor
    public GitopsRollbackStep(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    public String getImage() {
        return image;
    }

    public String getTo() {
        return to;
    }

    @DataBoundSetter
    public void setTo(String to) {
        this.to = Util.fixEmptyAndTrim(to);
    }

    public boolean isSync() {
        return sync;
    }

    @DataBoundSetter
    public void setSync(boolean sync) {
        this.sync = sync;
    }

    public String getApp() {
        return app;
    }

    @DataBoundSetter
    public void setApp(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    public String getServer() {
        return server;
    }

    @DataBoundSetter
    public void setServer(String server) {
        this.server = Util.fixEmptyAndTrim(server);
    }

    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    @DataBoundSetter
    public void setKubeconfigCredentialsId(String kubeconfigCredentialsId) {
        this.kubeconfigCredentialsId = Util.fixEmptyAndTrim(kubeconfigCredentialsId);
    }

    public boolean isKubernetes() {
        return kubernetes;
    }

    @DataBoundSetter
    public void setKubernetes(boolean kubernetes) {
        this.kubernetes = kubernetes;
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
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

    public String getPath() {
        return path;
    }

    @DataBoundSetter
    public void setPath(String path) {
        this.path = Util.fixEmptyAndTrim(path);
    }

    public String getBranch() {
        return branch;
    }

    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = Util.fixEmptyAndTrim(branch);
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public int getAttempts() {
        return attempts;
    }

    @DataBoundSetter
    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    /**
     * Runs off the CPS thread; the clone, the history walk and the push run on the agent that holds the workspace, the
     * sync wait on this thread (as the freestyle build step's does: a controller restart during the wait ends it;
     * use {@code sync: false} and {@code gitopsSync} for a wait that survives one).
     */
    private static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

        private static final long serialVersionUID = 1L;

        private final transient GitopsRollbackStep step;

        Execution(GitopsRollbackStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return CheckoutOperations.rollback(step, getContext().get(Run.class), getContext().get(FilePath.class),
                    getContext().get(TaskListener.class));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "gitopsRollback";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsRollbackStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, TaskListener.class);
        }

        public FormValidation doCheckImage(@QueryParameter String value) {
            return JobForms.checkImage(value);
        }

        public FormValidation doCheckAttempts(@QueryParameter String value) {
            return JobForms.checkAttempts(value);
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

        @POST
        public ListBoxModel doFillServerItems(@AncestorInPath Item item) {
            return JobForms.servers(item);
        }

        @POST
        public ListBoxModel doFillKubeconfigCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String kubeconfigCredentialsId) {
            return JobForms.credentials(item, null, kubeconfigCredentialsId, JobForms.KUBECONFIG);
        }

        /** Tells whether a credential exists: POST only, like the drop-down that lists them. */
        @POST
        public FormValidation doCheckKubeconfigCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return JobForms.checkCredentials(item, null, value, JobForms.KUBECONFIG);
        }
    }
}
