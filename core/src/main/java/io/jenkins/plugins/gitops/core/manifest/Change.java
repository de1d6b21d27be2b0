package io.jenkins.plugins.gitops.core.manifest;

import java.io.Serializable;
/**
 * One edited (or added, or removed) value.
 *
 * @param file     path relative to the root, {@code /} separated
 * @param line     1-based line of the value in the original file (for an addition: the original line
 *                 it is inserted before, one past the last line when appended at the end)
 * @param kind     which kind of target it was found as
 * @param field    where in the document, e.g. {@code spec.template.spec.containers[name=app].image}
 * @param oldValue the value before, or {@code null} when the key was added
 * @param newValue the value after, or {@code null} when the key was removed
 */
public record Change(String file, int line, TargetKind kind, String field, String oldValue, String newValue) implements Serializable {}
