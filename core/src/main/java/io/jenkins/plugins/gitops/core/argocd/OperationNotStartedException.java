package io.jenkins.plugins.gitops.core.argocd;

/**
 * A terminate was refused because the operation is requested ({@code .operation} set) but the application
 * controller has not started it yet ({@code status.operationState} empty): the Argo CD API server answers
 * {@code Unable to terminate operation. No operation is in progress} although the operation will still run.
 * Retry once the controller has started it.
 */
public class OperationNotStartedException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    public OperationNotStartedException(int httpStatus, String serverMessage, String message) {
        super(httpStatus, serverMessage, message);
    }
}
