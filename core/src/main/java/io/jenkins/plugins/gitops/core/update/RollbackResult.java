package io.jenkins.plugins.gitops.core.update;

import java.util.List;
import java.util.Optional;

/**
 * How a rollback ended when it did not fail. An image that no file references is not a result but a
 * {@link JournalledEdits.ImageNotFoundException}, as for an update.
 */
public sealed interface RollbackResult {

    /** The image, as given. */
    String image();

    /**
     * The rollback was committed on top of the branch and pushed.
     *
     * @param from the version it replaced on the branch: what was read, or after a lost race what the other push had
     *     set (the rollback still goes to {@code to}, see {@link Rollback})
     * @param to the version the image has now
     * @param undone the commit whose change was rolled back; empty for an explicit version
     * @param commit the rollback commit
     */
    record RolledBack(String image, String from, ImageVersion to, Optional<String> undone, String commit, String branch,
                      int attempts, List<String> files) implements RollbackResult {
        public RolledBack {
            files = List.copyOf(files);
        }
    }

    /**
     * The history has no earlier version: the image has had {@code current} since it first appeared in the files.
     * Nothing was committed.
     */
    record NothingToRollBackTo(String image, ImageVersion current, String reason) implements RollbackResult {}

    /**
     * The branch already has the version to roll back to (it was given explicitly, or another push set it first).
     * Nothing was committed.
     */
    record AlreadyThere(String image, ImageVersion to, String branch, String reason) implements RollbackResult {}
}
