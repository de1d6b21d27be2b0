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
import java.util.List;
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
 * {@code gitopsSetImage}: sets an image's tag, digest or name in a GitOps config repository, cloning it shallow into
 * the workspace (or using an existing checkout), with core's surgical editor: comments, quoting and layout survive
 * byte for byte, and the edit is all-or-nothing. Several calls before one {@code gitopsPush} go into one commit.
 * Returns the changes, {@code [[file:, line:, kind:, field:, oldValue:, newValue:], ...]}; with a {@code strategy}
 * (the version chosen from the image's registry, read on the agent) a map of the choice, its reason, the candidates
 * and the changes. Needs a workspace ({@code node}) except with the {@code argocd} write-back and no strategy.
 */
public final class GitopsSetImageStep extends Step {

    private final String image;
    private String tag;
    private String digest;
    private String newName;
    private String repo;
    private String credentialsId;
    private String branch;
    private int depth = 1;
    private String dir;
    private String path;
    private String kind;
    private String key;
    private String helmKey;
    private String argocdSource;
    private String writeBack;
    private String app;
    private String server;
    private String kubeconfigCredentialsId;
    private boolean kubernetes;
    private String namespace;
    private String strategy;
    private String constraint;
    private String allowTags;
    private String ignoreTags;
    private boolean pinDigest;
    private String platform;
    private String registryCredentialsId;
    private String insecureRegistries;

    @DataBoundConstructor
    public GitopsSetImageStep(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    public String getImage() {
        return image;
    }

    public String getTag() {
        return tag;
    }

    @DataBoundSetter
    public void setTag(String tag) {
        this.tag = Util.fixEmptyAndTrim(tag);
    }

    public String getDigest() {
        return digest;
    }

    @DataBoundSetter
    public void setDigest(String digest) {
        this.digest = Util.fixEmptyAndTrim(digest);
    }

    public String getNewName() {
        return newName;
    }

    @DataBoundSetter
    public void setNewName(String newName) {
        this.newName = Util.fixEmptyAndTrim(newName);
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

    public int getDepth() {
        return depth;
    }

    @DataBoundSetter
    public void setDepth(int depth) {
        this.depth = depth;
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Util.fixEmptyAndTrim(dir);
    }

    public String getPath() {
        return path;
    }

    @DataBoundSetter
    public void setPath(String path) {
        this.path = Util.fixEmptyAndTrim(path);
    }

    public String getKind() {
        return kind;
    }

    @DataBoundSetter
    public void setKind(String kind) {
        String value = Util.fixEmptyAndTrim(kind);
        this.kind = "auto".equals(value) ? null : value; // the default, as the form submits it
    }

    public String getKey() {
        return key;
    }

    @DataBoundSetter
    public void setKey(String key) {
        this.key = Util.fixEmptyAndTrim(key);
    }

    public String getHelmKey() {
        return helmKey;
    }

    @DataBoundSetter
    public void setHelmKey(String helmKey) {
        this.helmKey = Util.fixEmptyAndTrim(helmKey);
    }

    public String getArgocdSource() {
        return argocdSource;
    }

    @DataBoundSetter
    public void setArgocdSource(String argocdSource) {
        this.argocdSource = Util.fixEmptyAndTrim(argocdSource);
    }

    public String getWriteBack() {
        return writeBack;
    }

    @DataBoundSetter
    public void setWriteBack(String writeBack) {
        String value = Util.fixEmptyAndTrim(writeBack);
        this.writeBack = "git".equals(value) ? null : value; // the default, as the form submits it
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

    public String getStrategy() {
        return strategy;
    }

    /** semver, newest-build, digest or alphabetical: choose the version from the image's registry. */
    @DataBoundSetter
    public void setStrategy(String strategy) {
        this.strategy = Util.fixEmptyAndTrim(strategy); // empty, as the form submits "none": the given tag
    }

    public String getConstraint() {
        return constraint;
    }

    @DataBoundSetter
    public void setConstraint(String constraint) {
        this.constraint = Util.fixEmptyAndTrim(constraint);
    }

    public String getAllowTags() {
        return allowTags;
    }

    @DataBoundSetter
    public void setAllowTags(String allowTags) {
        this.allowTags = Util.fixEmptyAndTrim(allowTags);
    }

    public String getIgnoreTags() {
        return ignoreTags;
    }

    /** Shell globs, separated by commas or new lines. */
    @DataBoundSetter
    public void setIgnoreTags(String ignoreTags) {
        this.ignoreTags = Util.fixEmptyAndTrim(ignoreTags);
    }

    public boolean isPinDigest() {
        return pinDigest;
    }

    @DataBoundSetter
    public void setPinDigest(boolean pinDigest) {
        this.pinDigest = pinDigest;
    }

    public String getPlatform() {
        return platform;
    }

    /** {@code os/arch[/variant]}, several separated by commas. */
    @DataBoundSetter
    public void setPlatform(String platform) {
        this.platform = Util.fixEmptyAndTrim(platform);
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Util.fixEmptyAndTrim(registryCredentialsId);
    }

    public String getInsecureRegistries() {
        return insecureRegistries;
    }

    /** {@code host[:port]} of registries reached without verified TLS, separated by commas. */
    @DataBoundSetter
    public void setInsecureRegistries(String insecureRegistries) {
        this.insecureRegistries = Util.fixEmptyAndTrim(insecureRegistries);
    }

    /** Runs off the CPS thread; the work itself runs on the agent that holds the workspace. */
    private static final class Execution extends SynchronousNonBlockingStepExecution<Object> {

        private static final long serialVersionUID = 1L;

        private final transient GitopsSetImageStep step;

        Execution(GitopsSetImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Object run() throws Exception {
            return CheckoutOperations.setImage(step, getContext().get(Run.class), getContext().get(FilePath.class),
                    getContext().get(TaskListener.class));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "gitopsSetImage";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsSetImageStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public FormValidation doCheckImage(@QueryParameter String value) {
            return JobForms.checkImage(value);
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return JobForms.checkTag(value);
        }

        public FormValidation doCheckDigest(@QueryParameter String value) {
            return JobForms.checkDigest(value);
        }

        public FormValidation doCheckDir(@QueryParameter String value) {
            return JobForms.checkDir(value);
        }

        public ListBoxModel doFillKindItems() {
            return JobForms.kinds();
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

        public ListBoxModel doFillStrategyItems() {
            return JobForms.strategies();
        }

        public FormValidation doCheckConstraint(@QueryParameter String value) {
            return JobForms.checkConstraint(value);
        }

        public FormValidation doCheckAllowTags(@QueryParameter String value) {
            return JobForms.checkAllowTags(value);
        }

        @POST
        public ListBoxModel doFillRegistryCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String registryCredentialsId) {
            return JobForms.credentials(item, null, registryCredentialsId, JobForms.REGISTRY);
        }

        /** Tells whether a credential exists: POST only, like the drop-down that lists them. */
        @POST
        public FormValidation doCheckRegistryCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return JobForms.checkCredentials(item, null, value, JobForms.REGISTRY);
        }

        public ListBoxModel doFillWriteBackItems() {
            return JobForms.writeBacks();
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
