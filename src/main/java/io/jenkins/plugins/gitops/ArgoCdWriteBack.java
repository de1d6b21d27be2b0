package io.jenkins.plugins.gitops;

import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.update.ApplicationOverride;
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
 * {@code gitopsSetImage writeBack: 'argocd'}: instead of editing git, overrides the image on the Argo CD Application
 * itself (what Argo CD Image Updater's "argocd" write-back method does), through a configured Argo CD server or the
 * Kubernetes API: in its kustomize images ({@code argocd app set --kustomize-image}), or, for a Helm application
 * ({@code kind: 'helm-values'} or a {@code helmKey}), in its Helm parameters {@code <helmKey>.name},
 * {@code .tag} and {@code .digest} ({@code argocd app set --helm-set-string}), named as in the
 * {@code .argocd-source} file. What is overridden is core's {@link ApplicationOverride}, shared with
 * {@code gitops set-image --write-back argocd}.
 */
final class ArgoCdWriteBack {

    private static final long CALL_TIMEOUT_SECONDS = 120;

    private ArgoCdWriteBack() {}

    /** Overrides the image; returns the change in the same shape as a git edit's. */
    static List<Map<String, Object>> apply(EditRequest request, GitopsSetImageStep args, Run<?, ?> run, TaskListener listener)
            throws IOException, InterruptedException {
        if (Util.fixEmptyAndTrim(args.getApp()) == null) {
            throw new AbortException(Messages.ArgoCdWriteBack_appRequired());
        }
        SyncSettings target = SyncSettings.of(ApplicationArguments.of(args));
        BuildCredentials credentials = new BuildCredentials(run);
        ImageUpdate update = request.updates().get(0);
        ApplicationOverride override = ApplicationOverride.of(request);
        String field = override.field();
        String value = override.value();
        boolean changed;
        try (ApplicationSync application = ApplicationSync.open(target, credentials)) {
            credentials.mask(listener).getLogger().println(Messages.ArgoCdWriteBack_overriding(
                    target.applicationRef(), application.describe(), value));
            try {
                changed = application.override(override.override()).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = ApplicationSync.forBuild(e.getCause());
                throw cause instanceof IOException io ? io : new IOException(cause);
            } catch (TimeoutException e) {
                throw new AbortException(Messages.ArgoCdWriteBack_timeout(target.applicationRef(), CALL_TIMEOUT_SECONDS));
            }
            GitopsDeploymentAction action = GitopsDeploymentAction.of(run);
            action.recordImageUpdate(new GitopsDeploymentAction.ImageUpdate(
                    update.image(), value, Messages.ArgoCdWriteBack_where(target.applicationRef()), List.of(field)));
            action.recordApplication(target.applicationTarget());
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
}
