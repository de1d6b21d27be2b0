package io.jenkins.plugins.gitops.core.cli;

/**
 * Exit codes of {@code gitops}, stable so that scripts can branch on them.
 * Documented in docs/cli.md; never renumber one that has shipped.
 */
public enum ExitCode {
    /** The command did what was asked: files changed, commit pushed, app synced and healthy. */
    OK(0),
    /** An unexpected failure (I/O, a bug); the message says what happened. */
    FAILURE(1),
    /** Bad input: an unknown option, a malformed image reference, unparseable YAML, a path outside the repository. */
    BAD_INPUT(2),
    /** The image was found but every reference already has the requested value; nothing was written. */
    NOTHING_TO_CHANGE(3),
    /** No reference to the image was found in the given paths; nothing was written. */
    IMAGE_NOT_FOUND(4),
    /** The git server refused the push for a reason retrying cannot fix (hook, protected branch, permissions). */
    PUSH_REJECTED(5),
    /** Authentication or authorisation failed (git, Argo CD or the pull request API). */
    AUTH_FAILED(6),
    /** The Argo CD sync operation failed, or the application became Degraded. */
    SYNC_FAILED(7),
    /** The wait timed out before the application reached the desired state. */
    TIMEOUT(8),
    /** Too many concurrent pushes won the race in a row; the attempt bound was reached. */
    ATTEMPTS_EXHAUSTED(9),
    /** The pull (merge) request was closed without being merged while the command waited for its merge. */
    PULL_REQUEST_CLOSED(10),
    /** An update strategy found no version to deploy: no tag is eligible, or the current one already is the choice. */
    NO_CANDIDATE(11),
    /** A rollback found no earlier version of the image in the history of its files; nothing was pushed. */
    NOTHING_TO_ROLL_BACK_TO(12);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
