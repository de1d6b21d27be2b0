package io.jenkins.plugins.gitops.core.git;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to clone and where to push.
 *
 * @param branch        the base branch; empty means the remote's default branch
 * @param pushBranch    the branch to push to; empty means the base branch. When it does not exist yet it is
 *                      created from the base branch's tip by the first push. Both branches may be given as
 *                      {@code name} or {@code refs/heads/name}.
 * @param depth         how many commits of history to fetch; 0 means the full history
 * @param checkoutPaths repository-relative files or directories to write into the work tree; empty means the
 *                      whole tree. Commits still contain the whole tree: only the files on disk are fewer, which
 *                      makes cloning a large config repository to edit one application fast. When the server
 *                      allows filters, only the contents of these paths are fetched (a partial clone).
 * @param selection     which files under the checkout paths are written to disk; empty means all of them
 */
public record CloneOptions(Optional<String> branch, Optional<String> pushBranch, int depth, List<String> checkoutPaths,
                           Optional<CheckoutSelection> selection) {

    public static final int DEFAULT_DEPTH = 1;

    public CloneOptions {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(pushBranch, "pushBranch");
        Objects.requireNonNull(selection, "selection");
        if (depth < 0) {
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT, "The clone depth must be 0 (full history) or more, not " + depth + ".");
        }
        checkoutPaths = List.copyOf(checkoutPaths);
        branch = branch.map(CloneOptions::branchName);
        pushBranch = pushBranch.map(CloneOptions::branchName);
    }

    /** Every file under the checkout paths written to disk. */
    public CloneOptions(Optional<String> branch, Optional<String> pushBranch, int depth, List<String> checkoutPaths) {
        this(branch, pushBranch, depth, checkoutPaths, Optional.empty());
    }

    /** A depth-1 clone of the default branch that pushes back to it, with the whole work tree. */
    public static CloneOptions defaults() {
        return new CloneOptions(Optional.empty(), Optional.empty(), DEFAULT_DEPTH, List.of());
    }

    public CloneOptions withBranch(String name) {
        return new CloneOptions(Optional.of(name), pushBranch, depth, checkoutPaths, selection);
    }

    public CloneOptions withPushBranch(String name) {
        return new CloneOptions(branch, Optional.of(name), depth, checkoutPaths, selection);
    }

    public CloneOptions withDepth(int commits) {
        return new CloneOptions(branch, pushBranch, commits, checkoutPaths, selection);
    }

    public CloneOptions withCheckoutPaths(List<String> paths) {
        return new CloneOptions(branch, pushBranch, depth, paths, selection);
    }

    public CloneOptions withSelection(CheckoutSelection files) {
        return new CloneOptions(branch, pushBranch, depth, checkoutPaths, Optional.of(files));
    }

    /**
     * The short name of a branch given as {@code name} or {@code refs/heads/name}, as {@code git push} takes it.
     *
     * @throws GitOperationException of kind {@code BAD_INPUT} for a name git refuses
     */
    public static String branchName(String name) {
        String branch = name.startsWith(org.eclipse.jgit.lib.Constants.R_HEADS)
                ? name.substring(org.eclipse.jgit.lib.Constants.R_HEADS.length()) : name;
        if (!org.eclipse.jgit.lib.Repository.isValidRefName(org.eclipse.jgit.lib.Constants.R_HEADS + branch)) {
            throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, "Not a valid branch name: '" + name + "'.");
        }
        return branch;
    }
}
