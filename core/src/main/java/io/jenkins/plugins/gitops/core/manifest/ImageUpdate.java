package io.jenkins.plugins.gitops.core.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.image.InvalidImageReferenceException;
import java.io.Serializable;

/**
 * One image to update: every reference whose name has the same {@link ImageReference#identity()} as
 * {@code image} gets the new name, tag and/or digest. A new tag without a digest drops an old digest, a new
 * digest without a tag drops an old tag (as {@code kustomize edit set image} does); give both to pin both.
 *
 * @param image     the image to look for; only its name counts (a tag or digest in it is ignored)
 * @param newName   the new name ({@code [registry/]path}, no tag), or {@code null} to keep the name
 * @param newTag    the new tag, or {@code null}
 * @param newDigest the new digest ({@code sha256:<64 hex>}), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageUpdate(String image, String newName, String newTag, String newDigest) implements Serializable {

    /** @throws InvalidImageReferenceException when a part is malformed or nothing is to change */
    public ImageUpdate {
        ImageReference.parse(image);
        if (newName != null) {
            ImageReference name = ImageReference.parse(newName);
            if (name.tag() != null || name.digest() != null) {
                throw new InvalidImageReferenceException(newName, "the new name must not carry a tag or digest;"
                        + " give them as the new tag and new digest");
            }
        }
        if (newTag != null) {
            ImageReference.checkTag(newTag);
        }
        if (newDigest != null) {
            ImageReference.checkDigest(newDigest);
        }
        if (newName == null && newTag == null && newDigest == null) {
            throw new InvalidImageReferenceException(image, "nothing to change: give a new tag, digest or name");
        }
    }

    /** Updates {@code image} to {@code newTag}. */
    public static ImageUpdate tag(String image, String newTag) {
        return new ImageUpdate(image, null, newTag, null);
    }

    /** The image to look for, parsed. */
    public ImageReference reference() {
        return ImageReference.parse(image);
    }

    /**
     * Whether {@code candidate} names this update's image, or already carries its new name (so that applying
     * a rename twice finds the renamed references and reports them up to date).
     */
    public boolean matches(ImageReference candidate) {
        return reference().sameImage(candidate)
                || (newName != null && ImageReference.parse(newName).sameImage(candidate));
    }

    /**
     * The reference {@code current} becomes: name replaced when a new name is given; tag and digest per
     * the rules above.
     */
    public ImageReference applyTo(ImageReference current) {
        ImageReference result = newName == null ? current : current.withName(newName);
        if (newTag != null || newDigest != null) {
            result = result.withTag(newTag != null ? newTag : newDigest != null ? null : current.tag())
                    .withDigest(newDigest);
        }
        return result;
    }
}
