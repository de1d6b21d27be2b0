package io.jenkins.plugins.gitops.core.git;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The change to make in the config repository, applied to a fresh work tree. It must be idempotent ("set X
 * to Y", not "bump X"): the update loop applies it again on the new tip after losing a push race.
 */
@FunctionalInterface
public interface WorkTreeEdit {

    /**
     * Applies the edit.
     *
     * @param workTree the checkout's root
     * @return the files written and the values to name in the commit message
     * @throws IOException when a file cannot be read or written; the loop stops with it
     */
    EditOutcome apply(Path workTree) throws IOException;
}
