package io.jenkins.plugins.gitops.core.manifest;

import java.nio.file.Path;

/**
 * A file outside the edited tree written in the same all-or-nothing change set as an edit: the edit journal, so
 * that the files and the journal never disagree, after a failure or a crash.
 *
 * @param path   where it is
 * @param before its content now, {@code null} when it does not exist (checked again just before writing)
 * @param after  its new content (written as UTF-8, as are the edited files)
 */
public record CompanionFile(Path path, String before, String after) {}
