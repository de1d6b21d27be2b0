package io.jenkins.plugins.gitops.core.argocd;

/** The object changed meanwhile (HTTP 409, or a Kubernetes resourceVersion mismatch); read it again and retry. */
public class ConflictException extends ArgoCdException {

    private static final long serialVersionUID = 1L;

    public ConflictException(int httpStatus, String serverMessage, String message) {
        super(httpStatus, serverMessage, message);
    }
}
