package io.jenkins.plugins.gitops.core.git;

import java.util.Objects;

/**
 * One value an edit changed, as a reviewer reads it: in which file, what (an image), and from what to what.
 *
 * @param file     repository-relative path
 * @param subject  what the value is, e.g. the image it belongs to
 * @param oldValue the value before; empty when it was added
 * @param newValue the value after; empty when it was removed
 */
public record ValueChange(String file, String subject, String oldValue, String newValue) {

    public ValueChange {
        Objects.requireNonNull(file, "file");
        subject = Objects.requireNonNullElse(subject, "");
        oldValue = Objects.requireNonNullElse(oldValue, "");
        newValue = Objects.requireNonNullElse(newValue, "");
    }
}
