package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.redaction.Redaction;

/**
 * A call to Argo CD (the API server, or the Application resource through Kubernetes) failed. Subclasses say why;
 * {@link #serverMessage()} is the server's own words. Messages never contain credentials: the message, the server's
 * words and the cause's messages go through {@link Redaction} (a server may echo the token it was sent).
 */
public class ArgoCdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String serverMessage;

    /**
     * @param httpStatus the HTTP status, or 0 when no response was received
     * @param serverMessage the server's error message, or null
     * @param message what went wrong and what to do about it
     */
    public ArgoCdException(int httpStatus, String serverMessage, String message, Throwable cause) {
        super(Redaction.apply(message), Redaction.scrub(cause));
        this.httpStatus = httpStatus;
        this.serverMessage = Redaction.apply(serverMessage);
    }

    public ArgoCdException(int httpStatus, String serverMessage, String message) {
        this(httpStatus, serverMessage, message, null);
    }

    /** HTTP status of the failed call; 0 when there was no response (connection refused, reset, TLS failure). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The server's error message as sent, or null. */
    public String serverMessage() {
        return serverMessage;
    }

    /** True when the same call may succeed later without any change (server errors, dropped connections). */
    public boolean retryable() {
        return false;
    }
}
