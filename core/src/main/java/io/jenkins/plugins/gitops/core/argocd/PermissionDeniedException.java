package io.jenkins.plugins.gitops.core.argocd;

/** The caller is not allowed to do this (HTTP 403), or (without a project) the application does not exist. */
public class PermissionDeniedException extends ArgoCdException {

    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(int httpStatus, String serverMessage, String message) {
        super(httpStatus, serverMessage, message);
    }
}
