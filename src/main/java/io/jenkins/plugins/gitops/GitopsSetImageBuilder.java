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
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The freestyle twin of {@code gitopsSetImage}: same arguments and code path ({@link CheckoutOperations}); build
 * variables in the image, tag, digest and new name are expanded. Its symbol differs from the step's name, since a
 * Pipeline step name always wins over a symbol.
 */
public final class GitopsSetImageBuilder extends Builder implements SimpleBuildStep, SetImageArguments {

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

    @DataBoundConstructor
    public GitopsSetImageBuilder(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        CheckoutOperations.setImage(this, run, workspace, env, listener);
    }

    @Override
    public String getImage() {
        return image;
    }

    @Override
    public String getTag() {
        return tag;
    }

    @DataBoundSetter
    public void setTag(String tag) {
        this.tag = Util.fixEmptyAndTrim(tag);
    }

    @Override
    public String getDigest() {
        return digest;
    }

    @DataBoundSetter
    public void setDigest(String digest) {
        this.digest = Util.fixEmptyAndTrim(digest);
    }

    @Override
    public String getNewName() {
        return newName;
    }

    @DataBoundSetter
    public void setNewName(String newName) {
        this.newName = Util.fixEmptyAndTrim(newName);
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
    public int getDepth() {
        return depth;
    }

    @DataBoundSetter
    public void setDepth(int depth) {
        this.depth = depth;
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
    public String getPath() {
        return path;
    }

    @DataBoundSetter
    public void setPath(String path) {
        this.path = Util.fixEmptyAndTrim(path);
    }

    @Override
    public String getKind() {
        return kind;
    }

    @DataBoundSetter
    public void setKind(String kind) {
        String value = Util.fixEmptyAndTrim(kind);
        this.kind = "auto".equals(value) ? null : value; // the default, as the form submits it
    }

    @Override
    public String getKey() {
        return key;
    }

    @DataBoundSetter
    public void setKey(String key) {
        this.key = Util.fixEmptyAndTrim(key);
    }

    @Override
    public String getHelmKey() {
        return helmKey;
    }

    @DataBoundSetter
    public void setHelmKey(String helmKey) {
        this.helmKey = Util.fixEmptyAndTrim(helmKey);
    }

    @Override
    public String getArgocdSource() {
        return argocdSource;
    }

    @DataBoundSetter
    public void setArgocdSource(String argocdSource) {
        this.argocdSource = Util.fixEmptyAndTrim(argocdSource);
    }

    @Override
    public String getWriteBack() {
        return writeBack;
    }

    @DataBoundSetter
    public void setWriteBack(String writeBack) {
        String value = Util.fixEmptyAndTrim(writeBack);
        this.writeBack = "git".equals(value) ? null : value; // the default, as the form submits it
    }

    @Override
    public String getApp() {
        return app;
    }

    @DataBoundSetter
    public void setApp(String app) {
        this.app = Util.fixEmptyAndTrim(app);
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

    @Extension
    @Symbol("gitopsSetImageBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        public DescriptorImpl() {
            for (String field : new String[] {"image", "tag", "digest", "newName", "repo", "credentialsId", "branch", "depth", "dir", "path", "kind", "key", "helmKey", "argocdSource", "writeBack", "app", "server", "kubeconfigCredentialsId", "kubernetes", "namespace"}) {
                addHelpFileRedirect(field, GitopsSetImageStep.class, field);
            }
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitopsSetImageBuilder_displayName();
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

        public FormValidation doCheckCredentialsId(
                @AncestorInPath Item item, @QueryParameter String repo, @QueryParameter String value) {
            return JobForms.checkCredentials(item, repo, value, JobForms.GIT);
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

        public FormValidation doCheckKubeconfigCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return JobForms.checkCredentials(item, null, value, JobForms.KUBECONFIG);
        }
    }
}
