package io.jenkins.plugins.gitops.core.manifest;

import java.nio.file.Path;

/**
 * Finds and rewrites image references in the YAML and JSON files of one repository checkout, changing
 * nothing but the target values: comments, quoting, key order, indentation, line endings, blank lines and
 * everything else survive byte for byte. Each edited document is re-parsed and compared with the original;
 * any difference besides the intended values refuses the edit. Thread-safe; holds no state between calls.
 */
public final class ManifestEditor {

    /**
     * Parser hardening.
     *
     * @param maxFileBytes    files larger than this are refused
     * @param maxAliases      aliases allowed per document (a "billion laughs" bomb needs many)
     * @param maxNestingDepth nesting allowed per document
     */
    public record Limits(long maxFileBytes, int maxAliases, int maxNestingDepth) {
        /** 8 MiB, 100 aliases, depth 100. */
        public static final Limits DEFAULT = new Limits(8L << 20, 100, 100);
    }

    private final Path root;
    private final Limits limits;

    /** An editor for the checkout at {@code root}, with {@link Limits#DEFAULT}. */
    public ManifestEditor(Path root) {
        this(root, Limits.DEFAULT);
    }

    public ManifestEditor(Path root, Limits limits) {
        this.root = root.toAbsolutePath().normalize();
        this.limits = limits;
    }

    /**
     * Computes the edit without writing anything.
     *
     * @throws ManifestEditException naming file and line when a file cannot be read, parsed or safely edited
     */
    public EditReport plan(EditRequest request) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Computes and writes the edit, all or nothing: every file is planned and verified first, then each
     * new text goes to a temporary file beside its target and all are renamed into place; on any error
     * no file has changed. Files with nothing to change are never rewritten.
     *
     * @throws ManifestEditException naming file and line; nothing has been written
     */
    public EditReport apply(EditRequest request) {
        throw new UnsupportedOperationException("not yet");
    }
}
