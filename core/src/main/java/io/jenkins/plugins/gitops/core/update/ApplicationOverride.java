package io.jenkins.plugins.gitops.core.update;

import io.jenkins.plugins.gitops.core.argocd.Application.HelmParameter;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.SpecOverride;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The "argocd" write-back of an image edit: instead of a commit, the image is overridden on the Application itself
 * (what Argo CD Image Updater's "argocd" method does), in its kustomize images ({@code argocd app set
 * --kustomize-image}) or, for a Helm application (kind {@link TargetKind#HELM_VALUES} or a Helm key path), in its
 * Helm parameters {@code <key>.name}, {@code .tag} and {@code .digest} ({@code argocd app set --helm-set-string}),
 * named as in the {@code .argocd-source} file. The one code path of {@code gitopsSetImage writeBack: 'argocd'} and
 * {@code gitops set-image --write-back argocd}. A sync from git does not undo it; removing the override does.
 *
 * @param override what is merged into the Application's source
 * @param field the field it lands in, for the report ({@code spec.source.kustomize.images})
 * @param value the override as {@code argocd app set} spells it, for the report
 */
public record ApplicationOverride(SpecOverride override, String field, String value) {

    /** The override for the request's first image. */
    public static ApplicationOverride of(EditRequest request) {
        ImageUpdate update = request.updates().get(0);
        if (request.kind() == TargetKind.HELM_VALUES || !request.helmKeyPaths().isEmpty()) {
            List<HelmParameter> parameters = helmParameters(update,
                    request.helmKeyPaths().isEmpty() ? "image" : request.helmKeyPaths().get(0));
            return new ApplicationOverride(new SpecOverride(List.of(), parameters, null), "spec.source.helm.parameters",
                    parameters.stream().map(p -> p.name() + "=" + p.value()).collect(Collectors.joining(", ")));
        }
        String image = kustomizeImage(update);
        return new ApplicationOverride(new SpecOverride(List.of(image), List.of(), null), "spec.source.kustomize.images", image);
    }

    /**
     * Writes the override when it changes the Application.
     *
     * @return completes with true when the spec changed, false when the override was in place already
     */
    public CompletableFuture<Boolean> applyTo(ApplicationBackend backend, ApplicationRef app) {
        return backend.override(app, override);
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
