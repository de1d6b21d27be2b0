package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The image edit options shared by {@code gitops set-image} (in a checkout) and {@code gitops update} (in a fresh
 * clone): the same options, with the same meaning and the same complaints about bad values.
 */
final class ImageEditOptions {

    @Option(names = "--image", required = true, paramLabel = "IMAGE",
            description = "The image to update, e.g. ghcr.io/org/app; matched by normalised name"
                    + " (nginx = docker.io/library/nginx); a tag or digest here is ignored.")
    String image;

    @Option(names = "--tag", paramLabel = "TAG", description = "The new tag (drops an old digest unless --digest is given too).")
    String tag;

    @Option(names = "--digest", paramLabel = "sha256:HEX", description = "The new digest (drops an old tag unless --tag is given too).")
    String digest;

    @Option(names = "--new-name", paramLabel = "NAME", description = "A new image name ([registry/]path), e.g. after a registry move.")
    String newName;

    @Option(names = "--path", paramLabel = "PATH",
            description = "A file or directory to edit; repeatable (default: all). set-image: relative to DIR (or"
                    + " absolute inside it); update: relative to the repository root, and only these paths are"
                    + " written to disk by the clone.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", converter = SetImageCommand.KindConverter.class,
            description = "Which files to edit: auto (default; recognises each file and updates existing references),"
                    + " kustomization (adds an images: entry when none matches), workload, helm-values, application,"
                    + " argocd-source, key-path.")
    TargetKind kind;

    @Option(names = "--key", paramLabel = "KEYPATH",
            description = "Edit the scalar at this key path in any YAML file, e.g. spec.template.spec.containers[name=app].image;"
                    + " repeatable; implies --kind key-path.")
    List<String> keyPaths = new ArrayList<>();

    @Option(names = "--helm-key", paramLabel = "KEYPATH",
            description = "In Helm values: the image block or image string at this key path, e.g. backend.image;"
                    + " repeatable (default: the common image shapes anywhere).")
    List<String> helmKeyPaths = new ArrayList<>();

    @Option(names = "--argocd-source", paramLabel = "APP",
            description = "Write the Image Updater file .argocd-source-APP.yaml (created when missing); implies --kind argocd-source.")
    String argocdSourceApp;

    /**
     * The request for a fresh clone: paths relative to the repository root. An {@link IllegalArgumentException}
     * names the option at fault.
     */
    EditRequest request() {
        ImageUpdate update = imageUpdate();
        return request(update, () -> paths.stream().map(p -> p.replace('\\', '/')).toList(), argocdSourceApp);
    }

    /**
     * The request for the checkout at {@code root}: paths relative to it, an absolute path must lie inside it. An
     * {@link IllegalArgumentException} names the option at fault.
     */
    EditRequest request(Path root) {
        ImageUpdate update = imageUpdate();
        return request(update, () -> relativePaths(root), argocdSourceApp);
    }

    /**
     * The request for an application's files ({@code --app}): the application names the paths, so {@code --path} is
     * refused; {@code --kind argocd-source} writes the file Argo CD reads for this application
     * ({@code .argocd-source-APP.yaml}, or {@code .argocd-source-NAMESPACE_APP.yaml} for an app outside the control
     * plane's namespace: the name comes from the Application, see {@code GitTarget}) unless {@code --argocd-source}
     * names another.
     */
    EditRequest requestForApp(String app) {
        if (!paths.isEmpty()) {
            throw new IllegalArgumentException("--path: the application names its paths; give --repo (or DIR) with"
                    + " --path to edit other files");
        }
        ImageUpdate update = imageUpdate();
        boolean fromApplication = argocdSourceApp == null && kind == TargetKind.ARGOCD_SOURCE;
        EditRequest request = request(update, List::of, fromApplication ? app : argocdSourceApp);
        return fromApplication ? request.withArgocdSourceApp(null) : request;
    }

    /** Directories to check out: the edited paths, or everything when one of them is the root. */
    List<String> checkoutPaths() {
        List<String> result = new ArrayList<>();
        for (String path : paths) {
            String normal = path.replace('\\', '/').replaceAll("/+$", "");
            if (normal.isEmpty() || normal.equals(".")) {
                return List.of();
            }
            result.add(normal.startsWith("./") ? normal.substring(2) : normal);
        }
        return result;
    }

    private ImageUpdate imageUpdate() {
        argument("--image", () -> ImageReference.parse(image));
        if (tag != null) {
            argument("--tag", () -> { ImageReference.checkTag(tag); return tag; });
        }
        if (digest != null) {
            argument("--digest", () -> { ImageReference.checkDigest(digest); return digest; });
        }
        if (newName != null) {
            argument("--new-name", () -> new ImageUpdate(image, newName, null, null));
        }
        if (tag == null && digest == null && newName == null) {
            throw new IllegalArgumentException("nothing to set: give --tag, --digest, --new-name and/or --strategy");
        }
        return new ImageUpdate(image, newName, tag, digest);
    }

    private EditRequest request(ImageUpdate update, Supplier<List<String>> requestPaths, String writeBackApp) {
        EditRequest request = EditRequest.of(update);
        EditRequest withPaths = argument("--path", () -> request.withPaths(requestPaths.get()));
        EditRequest withKeys = argument("--key", () -> withPaths.withKeyPaths(keyPaths));
        EditRequest withHelmKeys = argument("--helm-key", () -> withKeys.withHelmKeyPaths(helmKeyPaths));
        EditRequest withApp = argument("--argocd-source", () -> withHelmKeys.withArgocdSourceApp(writeBackApp));
        TargetKind effectiveKind = kind != null ? kind
                : !keyPaths.isEmpty() ? TargetKind.KEY_PATH
                : writeBackApp != null ? TargetKind.ARGOCD_SOURCE
                : TargetKind.AUTO;
        requireUsed(effectiveKind, writeBackApp);
        return argument("--kind", () -> withApp.withKind(effectiveKind).validated());
    }

    /** An option the chosen kind would ignore is refused, naming both: nothing given is silently dropped. */
    private void requireUsed(TargetKind effectiveKind, String writeBackApp) {
        String kindName = SetImageCommand.KindConverter.nameOf(effectiveKind);
        if (!keyPaths.isEmpty() && effectiveKind != TargetKind.KEY_PATH) {
            throw new IllegalArgumentException("--key: only for --kind key-path (implied by --key), not --kind " + kindName);
        }
        if (writeBackApp != null && effectiveKind != TargetKind.ARGOCD_SOURCE) {
            throw new IllegalArgumentException("--argocd-source: only for --kind argocd-source (implied by --argocd-source),"
                    + " not --kind " + kindName);
        }
        if (!helmKeyPaths.isEmpty() && (effectiveKind == TargetKind.WORKLOAD || effectiveKind == TargetKind.KUSTOMIZATION
                || effectiveKind == TargetKind.KEY_PATH)) {
            throw new IllegalArgumentException("--helm-key: only for Helm values and parameters (--kind auto, helm-values,"
                    + " application, argocd-source), not --kind " + kindName);
        }
        if (effectiveKind == TargetKind.KEY_PATH && keyPaths.isEmpty()) {
            throw new IllegalArgumentException("--kind: key-path needs --key KEYPATH");
        }
        if (effectiveKind == TargetKind.ARGOCD_SOURCE && writeBackApp == null) {
            throw new IllegalArgumentException("--kind: argocd-source needs --argocd-source APP");
        }
    }

    private List<String> relativePaths(Path root) {
        List<String> relative = new ArrayList<>();
        for (String path : paths) {
            Path p = Path.of(path);
            if (p.isAbsolute()) {
                Path normal = p.normalize();
                if (!normal.startsWith(root)) {
                    throw new IllegalArgumentException("path '" + path + "' is outside DIR " + root);
                }
                p = root.relativize(normal);
            }
            String text = p.toString().replace('\\', '/');
            relative.add(text.isEmpty() ? "." : text);
        }
        return relative;
    }

    /** Runs {@code step} and prefixes any complaint about its input with the option that carried it. */
    private static <R> R argument(String option, Supplier<R> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
