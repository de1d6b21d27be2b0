package io.jenkins.plugins.gitops.core.manifest;

/** Unified diff text for one {@link FileEdit}. */
final class UnifiedDiff {

    private UnifiedDiff() {}

    static String of(FileEdit edit) {
        throw new UnsupportedOperationException("not yet");
    }
}
