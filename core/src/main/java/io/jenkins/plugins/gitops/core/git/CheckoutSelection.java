package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.TreeFile;
import java.io.IOException;

/**
 * Which files of a commit a checkout writes to disk, among those under its checkout paths. The others are in the index
 * only, marked assume-unchanged: a commit keeps them as they are, and neither the repository's status nor
 * {@code git status} in a kept work tree reads them as deleted.
 */
@FunctionalInterface
public interface CheckoutSelection {

    /** Whether {@code file} is written to disk. */
    boolean needs(TreeFile file) throws IOException;
}
