package io.jenkins.plugins.gitops.core.argocd;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns an Argo CD error answer into the matching {@link ArgoCdException}, with a hint on what to do. */
final class ArgoCdErrors {

    static final String IN_PROGRESS = "another operation is already in progress";

    private ArgoCdErrors() {}

    /** From a non-200 response: {@code {"error","code","message"}} JSON, or plain text (415). */
    static ArgoCdException fromResponse(int status, String body, String what) {
        String message = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode json = ApplicationJson.mapper().readTree(body);
                message = json.path("message").asText(json.path("error").asText(null));
            } catch (java.io.IOException e) {
                message = body.strip();
            }
        }
        return fromStatus(status, message, what);
    }

    /** From an HTTP status and the server's message (also used for the error chunks of a watch stream). */
    static ArgoCdException fromStatus(int status, String serverMessage, String what) {
        String said = serverMessage == null || serverMessage.isBlank() ? "HTTP " + status : serverMessage;
        String prefix = what + " failed: ";
        return switch (status) {
            case 401 -> new AuthenticationFailedException(status, serverMessage, prefix + said + " (HTTP 401). "
                    + (said.contains("expired")
                            ? "The token has expired: create a new one (argocd account generate-token) or log in again."
                            : "Check the token, or the username and password."));
            case 403 -> new PermissionDeniedException(status, serverMessage, prefix + said + " (HTTP 403). "
                    + "The account lacks the permission in the application's project"
                    + " (or, when no project is given, the application may not exist).");
            case 404 -> new ApplicationNotFoundException(status, serverMessage, prefix + said
                    + " (HTTP 404). Check the application name, its namespace and project.");
            case 409 -> new ConflictException(status, serverMessage, prefix + said + " (HTTP 409). Retry.");
            case 400, 415 -> said.contains(IN_PROGRESS)
                    ? new OperationInProgressException(status, serverMessage, prefix + said)
                    : new InvalidRequestException(status, serverMessage, prefix + said + " (HTTP " + status + ")");
            default -> status >= 500
                    ? new ServerUnavailableException(status, serverMessage, prefix + said + " (HTTP " + status
                            + "; the server failed, retrying may help)", null)
                    : new ArgoCdException(status, serverMessage, prefix + said + " (HTTP " + status + ")");
        };
    }
}
