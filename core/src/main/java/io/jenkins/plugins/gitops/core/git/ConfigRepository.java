package io.jenkins.plugins.gitops.core.git;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A local checkout of the GitOps config repository and the remote branch it pushes to. The operations are
 * the steps of the update loop; none of them ever force-pushes.
 */
public interface ConfigRepository extends AutoCloseable {

    /** The checkout's work tree, where edits are applied. */
    Path workTree();

    /** The remote branch that {@link #push()} updates. */
    String pushBranch();

    /** The branch the checkout was made from, into which a pull request from {@link #pushBranch()} merges. */
    default String baseBranch() {
        return pushBranch();
    }

    /** The commit checked out now. */
    String head();

    /**
     * Fetches the tip of the push branch (or of the base branch while the push branch does not exist yet) and
     * resets the checkout hard to it, discarding local commits and changes.
     *
     * @return the commit now checked out
     */
    String resetToRemote();

    /**
     * The message of the commit checked out now when {@link #resetToRemote()} brought it from the push branch (a
     * branch of its own that exists on the remote); empty while the checkout is on the base branch's commit.
     */
    default Optional<String> pushBranchTipMessage() {
        return Optional.empty();
    }

    /** Tracked files that differ from {@code HEAD} in the work tree, as repository-relative paths. */
    List<String> changedFiles();

    /** Stages these repository-relative paths (a path that no longer exists is staged as removed). */
    void stage(Collection<String> paths);

    /**
     * Commits what is staged.
     *
     * @return the new commit, or empty when the staged tree equals {@code HEAD}'s (nothing to commit)
     */
    Optional<String> commit(CommitSpec commit);

    /** Pushes {@code HEAD} to the push branch, never forced. */
    PushOutcome push();

    @Override
    void close();
}
