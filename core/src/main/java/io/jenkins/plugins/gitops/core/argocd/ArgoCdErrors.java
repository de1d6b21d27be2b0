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
                message = plainText(body);
            }
        }
        return fromStatus(status, message, what);
    }

    /** A non-JSON error body: its first line when it is text, nothing when it is an HTML page (from a proxy). */
    private static String plainText(String body) {
        String text = body.strip();
        if (text.startsWith("<")) {
            return null;
        }
        String firstLine = text.lines().findFirst().orElse("");
        return firstLine.length() > 200 ? firstLine.substring(0, 200) + "..." : firstLine;
    }

    /** From an HTTP status and the server's message (also used for the error chunks of a watch stream). */
    static ArgoCdException fromStatus(int status, String serverMessage, String what) {
        String said = (serverMessage == null || serverMessage.isBlank() ? "no message" : serverMessage)
                + " (HTTP " + status + ")";
        String prefix = what + " failed: ";
        return switch (status) {
            case 401 -> new AuthenticationFailedException(status, serverMessage, prefix + said + ". "
                    + (serverMessage != null && serverMessage.contains("expired")
                            ? "The token has expired: create a new one (argocd account generate-token) or log in again."
                            : "Check the token, or the username and password."));
            case 403 -> new PermissionDeniedException(status, serverMessage, prefix + said + ". "
                    + "The account lacks the permission in the application's project"
                    + " (or, when no project is given, the application may not exist).");
            case 404 -> new ApplicationNotFoundException(status, serverMessage, prefix + said
                    + ". Check the application name, its namespace and project.");
            case 409 -> new ConflictException(status, serverMessage, prefix + said + ". Retry.");
            case 400, 415 -> serverMessage != null && serverMessage.contains(IN_PROGRESS)
                    ? new OperationInProgressException(status, serverMessage, prefix + said)
                    : new InvalidRequestException(status, serverMessage, prefix + said);
            default -> status >= 500
                    ? new ServerUnavailableException(status, serverMessage, prefix + said
                            + "; the server failed, retrying may help", null)
                    : new ArgoCdException(status, serverMessage, prefix + said);
        };
    }
}
