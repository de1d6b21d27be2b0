package io.jenkins.plugins.gitops.core.update;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;

/**
 * The version an image reference pins: a tag, a digest, or both ({@code 1.4.0}, {@code sha256:...},
 * {@code 1.4.0@sha256:...}).
 *
 * @param tag the tag, or {@code null}
 * @param digest the digest ({@code sha256:<64 hex>}), or {@code null}
 */
public record ImageVersion(String tag, String digest) {

    /** @throws IllegalArgumentException when a part is malformed or both are missing */
    public ImageVersion {
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("a version needs a tag, a digest or both");
        }
        if (tag != null) {
            ImageReference.checkTag(tag);
        }
        if (digest != null) {
            ImageReference.checkDigest(digest);
        }
    }

    /**
     * Reads {@code TAG}, {@code sha256:HEX} or {@code TAG@sha256:HEX}, the forms {@link #toString()} writes.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static ImageVersion parse(String text) {
        String version = text == null ? "" : text.strip();
        if (version.isEmpty()) {
            throw new IllegalArgumentException("a version is TAG, sha256:HEX or TAG@sha256:HEX, not an empty text");
        }
        int at = version.indexOf('@');
        if (at >= 0) {
            return new ImageVersion(at == 0 ? null : version.substring(0, at), version.substring(at + 1));
        }
        return version.startsWith("sha256:") ? new ImageVersion(null, version) : new ImageVersion(version, null);
    }

    /**
     * The update that sets {@code image} to exactly this version: a tag alone drops a digest the reference has, as
     * the version before did not pin one.
     */
    public ImageUpdate updateOf(String image) {
        return new ImageUpdate(image, null, tag, digest);
    }

    @Override
    public String toString() {
        return tag == null ? digest : digest == null ? tag : tag + "@" + digest;
    }
}
