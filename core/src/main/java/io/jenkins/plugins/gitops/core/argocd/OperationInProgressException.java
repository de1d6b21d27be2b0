package io.jenkins.plugins.gitops.core.argocd;

/**
 * A sync was refused because another operation is already running on the application (API: HTTP 400
 * {@code another operation is already in progress}; custom resource: {@code .operation} already set, or the
 * resourceVersion moved because someone else set it). The waiter waits for that operation to end and then
 * decides whether to sync again.
 */
public class OperationInProgressException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    public OperationInProgressException(int httpStatus, String serverMessage, String message) {
        super(httpStatus, serverMessage, message);
    }
}
