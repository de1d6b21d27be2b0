package io.jenkins.plugins.gitops.core.argocd;

/** Authentication failed (HTTP 401): the token is missing, invalid or expired, or the username/password is wrong. */
public class AuthenticationFailedException extends ArgoCdException {

    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(int httpStatus, String serverMessage, String message) {
        super(httpStatus, serverMessage, message);
    }
}
