package io.jenkins.plugins.gitops.core.argocd;

/** The application does not exist (HTTP 404). */
public class ApplicationNotFoundException extends ArgoCdException {

    private static final long serialVersionUID = 1L;

    public ApplicationNotFoundException(int httpStatus, String serverMessage, String message) {
        super(httpStatus, serverMessage, message);
    }
}
