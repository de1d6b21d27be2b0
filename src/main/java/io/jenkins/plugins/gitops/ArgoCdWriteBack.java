package io.jenkins.plugins.gitops;

import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gitops.core.argocd.SpecOverride;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code gitopsSetImage writeBack: 'argocd'}: instead of editing git, overrides the image in the Argo CD
 * Application's kustomize images (what Argo CD Image Updater's "argocd" write-back method and
 * {@code argocd app set --kustomize-image} do), through a configured Argo CD server or the Kubernetes API.
 */
final class ArgoCdWriteBack {

    private static final long CALL_TIMEOUT_SECONDS = 120;

    private ArgoCdWriteBack() {}

    /** The Argo CD side of the set-image arguments; the rest of the sync arguments keep their defaults. */
    private record Target(SetImageArguments args) implements SyncArguments {
        @Override public String getApp() { return args.getApp(); }
        @Override public String getServer() { return args.getServer(); }
        @Override public String getUrl() { return null; }
        @Override public String getCredentialsId() { return null; }
        @Override public String getKubeconfigCredentialsId() { return args.getKubeconfigCredentialsId(); }
        @Override public boolean isKubernetes() { return args.isKubernetes(); }
        @Override public String getNamespace() { return args.getNamespace(); }
        @Override public String getProject() { return null; }
        @Override public String getRevision() { return null; }
        @Override public int getTimeout() { return 0; }
        @Override public boolean isPrune() { return false; }
        @Override public boolean isDryRun() { return false; }
        @Override public String getSyncOptions() { return null; }
        @Override public String getSyncMode() { return null; }
        @Override public String getHealth() { return null; }
        @Override public boolean isTerminateOnAbort() { return false; }
        @Override public boolean isTerminateOnTimeout() { return false; }
    }

    /** Overrides the image; returns the change in the same shape as a git edit's. */
    static List<Map<String, Object>> apply(ImageUpdate update, SetImageArguments args, Run<?, ?> run, TaskListener listener)
            throws IOException, InterruptedException {
        if (Util.fixEmptyAndTrim(args.getApp()) == null) {
            throw new AbortException(Messages.ArgoCdWriteBack_appRequired());
        }
        SyncSettings target = SyncSettings.of(new Target(args));
        BuildCredentials credentials = new BuildCredentials(run);
        String image = kustomizeImage(update);
        boolean changed;
        try (ApplicationSync application = ApplicationSync.open(target, credentials)) {
            credentials.mask(listener).getLogger().println(Messages.ArgoCdWriteBack_overriding(
                    target.applicationRef(), application.describe(), image));
            try {
                changed = application.override(new SpecOverride(List.of(image), List.of(), null))
                        .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = ApplicationSync.forBuild(e.getCause());
                throw cause instanceof IOException io ? io : new IOException(cause);
            } catch (TimeoutException e) {
                throw new AbortException(Messages.ArgoCdWriteBack_timeout(target.applicationRef(), CALL_TIMEOUT_SECONDS));
            }
            GitopsDeploymentAction.of(run).recordImageUpdate(new GitopsDeploymentAction.ImageUpdate(
                    update.image(), image, Messages.ArgoCdWriteBack_where(target.applicationRef()),
                    List.of("spec.source.kustomize.images")));
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        if (changed) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("app", target.app);
            change.put("kind", "ARGOCD_APPLICATION");
            change.put("field", "spec.source.kustomize.images");
            change.put("newValue", image);
            changes.add(change);
        }
        return changes;
    }

    /** {@code [old=]new[:tag][@digest]}, the form {@code argocd app set --kustomize-image} takes. */
    static String kustomizeImage(ImageUpdate update) {
        StringBuilder image = new StringBuilder(update.image());
        if (update.newName() != null) {
            image.append('=').append(update.newName());
        }
        if (update.newTag() != null) {
            image.append(':').append(update.newTag());
        }
        if (update.newDigest() != null) {
            image.append('@').append(update.newDigest());
        }
        return image.toString();
    }
}
