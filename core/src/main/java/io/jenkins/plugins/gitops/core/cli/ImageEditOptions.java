package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The image edit of {@code gitops update}: the same options, with the same meaning, as {@code gitops set-image};
 * paths are relative to the repository root.
 */
final class ImageEditOptions {

    @Option(names = "--image", required = true, paramLabel = "IMAGE",
            description = "The image to update, e.g. ghcr.io/org/app; matched by normalised name.")
    String image;

    @Option(names = "--tag", paramLabel = "TAG", description = "The new tag (drops an old digest unless --digest is given too).")
    String tag;

    @Option(names = "--digest", paramLabel = "sha256:HEX", description = "The new digest (drops an old tag unless --tag is given too).")
    String digest;

    @Option(names = "--new-name", paramLabel = "NAME", description = "A new image name ([registry/]path).")
    String newName;

    @Option(names = "--path", paramLabel = "PATH",
            description = "A file or directory to edit, relative to the repository root; repeatable (default: all)."
                    + " Only these paths are written to disk by the clone.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", converter = SetImageCommand.KindConverter.class,
            description = "Which files to edit, as for set-image: auto (default), kustomization, workload, helm-values,"
                    + " application, argocd-source, key-path.")
    TargetKind kind;

    @Option(names = "--key", paramLabel = "KEYPATH", description = "Edit the scalar at this key path; repeatable; implies --kind key-path.")
    List<String> keyPaths = new ArrayList<>();

    @Option(names = "--helm-key", paramLabel = "KEYPATH", description = "In Helm values: the image block or string at this key path; repeatable.")
    List<String> helmKeyPaths = new ArrayList<>();

    @Option(names = "--argocd-source", paramLabel = "APP",
            description = "Write the Image Updater file .argocd-source-APP.yaml; implies --kind argocd-source.")
    String argocdSourceApp;

    /** The request these options describe; an {@link IllegalArgumentException} names the option at fault. */
    EditRequest request() {
        argument("--image", () -> ImageReference.parse(image));
        if (tag != null) {
            argument("--tag", () -> { ImageReference.checkTag(tag); return tag; });
        }
        if (digest != null) {
            argument("--digest", () -> { ImageReference.checkDigest(digest); return digest; });
        }
        if (tag == null && digest == null && newName == null) {
            throw new IllegalArgumentException("nothing to set: give --tag, --digest and/or --new-name");
        }
        ImageUpdate update = argument("--new-name", () -> new ImageUpdate(image, newName, tag, digest));
        TargetKind effectiveKind = kind != null ? kind
                : !keyPaths.isEmpty() ? TargetKind.KEY_PATH
                : argocdSourceApp != null ? TargetKind.ARGOCD_SOURCE
                : TargetKind.AUTO;
        return argument("--path", () -> EditRequest.of(update)
                .withPaths(paths.stream().map(p -> p.replace('\\', '/')).toList())
                .withKeyPaths(keyPaths)
                .withHelmKeyPaths(helmKeyPaths)
                .withArgocdSourceApp(argocdSourceApp)
                .withKind(effectiveKind));
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

    private static <R> R argument(String option, Supplier<R> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
