package io.jenkins.plugins.gitops;

import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gitops.core.argocd.Application.HelmParameter;
import io.jenkins.plugins.gitops.core.argocd.SpecOverride;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code gitopsSetImage writeBack: 'argocd'}: instead of editing git, overrides the image on the Argo CD Application
 * itself (what Argo CD Image Updater's "argocd" write-back method does), through a configured Argo CD server or the
 * Kubernetes API: in its kustomize images ({@code argocd app set --kustomize-image}), or, for a Helm application
 * ({@code kind: 'helm-values'} or a {@code helmKey}), in its Helm parameters {@code <helmKey>.name},
 * {@code .tag} and {@code .digest} ({@code argocd app set --helm-set-string}), named as in the
 * {@code .argocd-source} file.
 */
final class ArgoCdWriteBack {

    private static final long CALL_TIMEOUT_SECONDS = 120;

    private ArgoCdWriteBack() {}

    /** The Argo CD side of the set-image arguments; the rest of the sync arguments keep their defaults. */
    private record Target(GitopsSetImageStep args) implements SyncArguments {
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
    static List<Map<String, Object>> apply(EditRequest request, GitopsSetImageStep args, Run<?, ?> run, TaskListener listener)
            throws IOException, InterruptedException {
        if (Util.fixEmptyAndTrim(args.getApp()) == null) {
            throw new AbortException(Messages.ArgoCdWriteBack_appRequired());
        }
        SyncSettings target = SyncSettings.of(new Target(args));
        BuildCredentials credentials = new BuildCredentials(run);
        ImageUpdate update = request.updates().get(0);
        boolean helm = request.kind() == TargetKind.HELM_VALUES || !request.helmKeyPaths().isEmpty();
        SpecOverride override;
        String field;
        String value;
        if (helm) {
            List<HelmParameter> parameters = helmParameters(update,
                    request.helmKeyPaths().isEmpty() ? "image" : request.helmKeyPaths().get(0));
            override = new SpecOverride(List.of(), parameters, null);
            field = "spec.source.helm.parameters";
            value = parameters.stream().map(p -> p.name() + "=" + p.value()).collect(Collectors.joining(", "));
        } else {
            value = kustomizeImage(update);
            override = new SpecOverride(List.of(value), List.of(), null);
            field = "spec.source.kustomize.images";
        }
        boolean changed;
        try (ApplicationSync application = ApplicationSync.open(target, credentials)) {
            credentials.mask(listener).getLogger().println(Messages.ArgoCdWriteBack_overriding(
                    target.applicationRef(), application.describe(), value));
            try {
                changed = application.override(override).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = ApplicationSync.forBuild(e.getCause());
                throw cause instanceof IOException io ? io : new IOException(cause);
            } catch (TimeoutException e) {
                throw new AbortException(Messages.ArgoCdWriteBack_timeout(target.applicationRef(), CALL_TIMEOUT_SECONDS));
            }
            GitopsDeploymentAction.of(run).recordImageUpdate(new GitopsDeploymentAction.ImageUpdate(
                    update.image(), value, Messages.ArgoCdWriteBack_where(target.applicationRef()), List.of(field)));
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        if (changed) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("app", target.app);
            change.put("kind", "ARGOCD_APPLICATION");
            change.put("field", field);
            change.put("newValue", value);
            changes.add(change);
        }
        return changes;
    }

    /**
     * {@code <prefix>.name}, {@code .tag}, {@code .digest} as strings (a tag such as 1.10 must not become a number),
     * sorted by name: the parameters Argo CD Image Updater writes for a Helm application.
     */
    static List<HelmParameter> helmParameters(ImageUpdate update, String prefix) {
        List<HelmParameter> parameters = new ArrayList<>();
        parameters.add(new HelmParameter(
                prefix + ".name", update.newName() != null ? update.newName() : update.reference().name(), true));
        if (update.newTag() != null) {
            parameters.add(new HelmParameter(prefix + ".tag", update.newTag(), true));
        }
        if (update.newDigest() != null) {
            parameters.add(new HelmParameter(prefix + ".digest", update.newDigest(), true));
        }
        parameters.sort(Comparator.comparing(HelmParameter::name));
        return parameters;
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
