package io.jenkins.plugins.gitops.core.argocd;

/** The server rejected the request as invalid (HTTP 400, 415): bad parameters, an invalid spec, a revision the server cannot resolve, an auto-sync app asked for another revision. */
public class InvalidRequestException extends ArgoCdException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(int httpStatus, String serverMessage, String message) {
        super(httpStatus, serverMessage, message);
    }
}
