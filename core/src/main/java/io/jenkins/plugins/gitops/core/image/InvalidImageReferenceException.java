package io.jenkins.plugins.gitops.core.image;

/**
 * A string that is not a valid image reference. The message names the reference and the part that is
 * wrong (for example "repository 'Library/Nginx' must be lowercase").
 */
public final class InvalidImageReferenceException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String reference;

    public InvalidImageReferenceException(String reference, String problem) {
        super("invalid image reference '" + reference + "': " + problem);
        this.reference = reference;
    }

    /** The rejected input, as given. */
    public String reference() {
        return reference;
    }
}
