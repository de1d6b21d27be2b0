package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.image.InvalidImageReferenceException;
import java.util.List;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Scalars that hold a whole image reference ({@code nginx:1.25}, {@code repo/app@sha256:...}), and the
 * Argo CD kustomize override form {@code alias=newName:tag}.
 */
final class ImageStrings {

    private ImageStrings() {}

    /**
     * Updates {@code value} when it names one of the images. A value that is not an image reference is
     * left alone, unless it is a template expression mentioning one of the images: that is refused.
     *
     * @param aliasForm whether {@code alias=reference} is allowed (Argo CD's kustomize image overrides);
     *                  the alias names the image, the reference after {@code =} is what it becomes
     */
    static void update(DocumentEdits edits, List<ImageUpdate> updates, ScalarNode key, ScalarNode value,
                       TargetKind kind, String field, boolean aliasForm) {
        String text = value.getValue();
        if (text.contains("{{")) {
            for (ImageUpdate update : updates) {
                if (text.contains(update.reference().shortName())) {
                    edits.refuseIfTemplate(value, field);
                }
            }
            return;
        }
        String alias = null;
        String written = text;
        int equals = text.indexOf('=');
        if (aliasForm && equals > 0) {
            alias = text.substring(0, equals);
            written = text.substring(equals + 1);
        }
        ImageReference reference = parseOrNull(written);
        if (reference == null) {
            return;
        }
        ImageReference aliasReference = alias == null ? null : parseOrNull(alias);
        for (int i = 0; i < updates.size(); i++) {
            ImageUpdate update = updates.get(i);
            boolean matches = update.matches(reference) || (aliasReference != null && update.matches(aliasReference));
            if (matches) {
                edits.found(i);
                String next = (alias == null ? "" : alias + "=") + update.applyTo(reference);
                edits.replace(i, key, value, next, kind, field);
                return;
            }
        }
    }

    static ImageReference parseOrNull(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return ImageReference.parse(text);
        } catch (InvalidImageReferenceException e) {
            return null;
        }
    }
}
