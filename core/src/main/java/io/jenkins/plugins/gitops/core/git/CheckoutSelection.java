package io.jenkins.plugins.gitops.core.git;

import java.io.IOException;

/**
 * Which files of a commit a checkout writes to disk, among those under its checkout paths. The others are in the index
 * only: a commit keeps them as they are, and the repository's status looks only at the files written (in the kept work
 * tree, {@code git status} lists the others as deleted, as in a clone with {@code --path}).
 */
@FunctionalInterface
public interface CheckoutSelection {

    /** A file of the commit's tree; its content is read only when asked for. */
    interface TreeFile {
        /** Relative to the repository root, {@code /} separated. */
        String path();

        boolean symbolicLink();

        long size() throws IOException;

        byte[] content() throws IOException;
    }

    /** Whether {@code file} is written to disk. */
    boolean needs(TreeFile file) throws IOException;
}
