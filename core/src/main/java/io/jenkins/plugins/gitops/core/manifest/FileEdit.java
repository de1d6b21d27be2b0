package io.jenkins.plugins.gitops.core.manifest;

import java.io.Serializable;
/**
 * The whole new content of one file that changes (or is created).
 *
 * @param file    path relative to the root, {@code /} separated
 * @param created whether the file does not exist yet
 * @param before  the original text ({@code ""} when created)
 * @param after   the new text
 */
public record FileEdit(String file, boolean created, String before, String after) implements Serializable {}
