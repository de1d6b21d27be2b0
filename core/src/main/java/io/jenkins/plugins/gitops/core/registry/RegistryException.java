package io.jenkins.plugins.gitops.core.registry;

import io.jenkins.plugins.gitops.core.redaction.Redaction;

/**
 * A registry request that failed; the message names the registry, the repository and what to do. Messages go through
 * {@link Redaction}: a registry may echo a credential back in its error body.
 */
public final class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that map failures to exit codes or results. */
    public enum Kind {
        /** 401: no credentials, or the registry refused them. */
        UNAUTHORIZED,
        /** 403, or a token without the {@code pull} scope: the credentials lack access to the repository. */
        FORBIDDEN,
        /** 404: the repository, tag or manifest does not exist. */
        NOT_FOUND,
        /** The TLS handshake failed (an unknown certificate authority, a wrong host name). */
        TLS,
        /** The registry cannot be reached, or answered 429/5xx after every retry. */
        UNAVAILABLE,
        /** The registry answered something this client does not understand. */
        PROTOCOL
    }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        this(kind, message, null);
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(Redaction.apply(message), Redaction.scrub(cause));
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
