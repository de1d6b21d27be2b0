package io.jenkins.plugins.gitops.core.pullrequest;

import io.jenkins.plugins.gitops.core.redaction.Redaction;

/**
 * A call to a pull request API failed, or the pull request did not end as wanted. The message says what happened and
 * what to do, and never holds the token: it goes through {@link Redaction}, as do the cause's messages.
 */
public final class PullRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    public enum Kind {
        /** The service refused the token (401), or it lacks the permission (403). */
        AUTHENTICATION,
        /** The repository or pull request does not exist, or the token cannot see it (404). */
        NOT_FOUND,
        /** The token's rate limit is used up for longer than the wait allowed. */
        RATE_LIMITED,
        /** The pull request was closed without being merged. */
        CLOSED_UNMERGED,
        /** The pull request was still open when the wait for its merge ended. */
        TIMEOUT,
        /** The service says the branch holds nothing its base lacks, so there is nothing to merge. */
        NOTHING_TO_MERGE,
        /** An option, a URL or a template cannot be used. */
        BAD_INPUT,
        /** Any other refusal or an unreachable service. */
        API
    }

    private final Kind kind;

    public PullRequestException(Kind kind, String message) {
        super(Redaction.apply(message));
        this.kind = kind;
    }

    public PullRequestException(Kind kind, String message, Throwable cause) {
        super(Redaction.apply(message), Redaction.scrub(cause));
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
