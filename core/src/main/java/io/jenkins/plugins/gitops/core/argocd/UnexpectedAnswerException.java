package io.jenkins.plugins.gitops.core.argocd;

/**
 * The server answered, but not with what its API defines: an empty body, {@code null}, text that is not JSON, JSON of
 * the wrong shape (e.g. a proxy's page served with status 200, or a server bug). Retrying the same call would get the
 * same answer, so a wait ends at once with this error.
 */
public class UnexpectedAnswerException extends ArgoCdException {

    private static final long serialVersionUID = 1L;

    public UnexpectedAnswerException(int httpStatus, String message, Throwable cause) {
        super(httpStatus, null, message, cause);
    }
}
