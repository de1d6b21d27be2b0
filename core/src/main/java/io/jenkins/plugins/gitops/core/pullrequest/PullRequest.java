package io.jenkins.plugins.gitops.core.pullrequest;

import java.util.Objects;
import java.util.Optional;

/**
 * A pull (merge) request as every provider has one.
 *
 * @param number      what the service shows and takes in its URLs: GitHub's and Gitea's number, GitLab's {@code iid}
 * @param url         the page a reviewer opens
 * @param state       open, merged or closed unmerged
 * @param head        the branch it merges from
 * @param base        the branch it merges into
 * @param title       its title
 * @param mergeCommit once merged: the commit on the base branch that holds its changes (a squash commit when squashed)
 */
public record PullRequest(long number, String url, State state, String head, String base, String title, Optional<String> mergeCommit) {

    /** Where a pull request stands. */
    public enum State { OPEN, MERGED, CLOSED }

    public PullRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(mergeCommit, "mergeCommit");
    }
}
