package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.redaction.Redaction;

/**
 * A git operation on the config repository failed. The {@link Kind} lets callers map the failure to an
 * exit code or a build result; the message says what happened and what to do, and never holds a secret: it and the
 * cause's messages go through {@link Redaction}.
 */
public final class GitOperationException extends RuntimeException {

    /** What kind of failure this is. */
    public enum Kind {
        /** The server refused the credentials, or the key/password could not be used. */
        AUTHENTICATION,
        /** The SSH server's host key is not trusted under the chosen {@link HostKeyPolicy}. */
        HOST_KEY,
        /** The server refused the push for a reason retrying cannot fix (hook, protected branch). */
        PUSH_REJECTED,
        /** Every attempt lost the race against other pushers. */
        ATTEMPTS_EXHAUSTED,
        /** The repository or branch does not exist, or the input cannot be used. */
        BAD_INPUT,
        /** Network or I/O failure, or anything else. */
        TRANSPORT
    }

    private final Kind kind;

    public GitOperationException(Kind kind, String message) {
        super(Redaction.apply(message));
        this.kind = kind;
    }

    public GitOperationException(Kind kind, String message, Throwable cause) {
        super(Redaction.apply(message), Redaction.scrub(cause));
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
