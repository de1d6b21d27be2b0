package io.jenkins.plugins.gitops.core.argocd;

/** The server failed (HTTP 5xx) or could not be reached or the connection dropped; retrying may help. */
public class ServerUnavailableException extends ArgoCdException {

    private static final long serialVersionUID = 1L;

    public ServerUnavailableException(int httpStatus, String serverMessage, String message, Throwable cause) {
        super(httpStatus, serverMessage, message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
