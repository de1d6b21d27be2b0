package io.jenkins.plugins.gitops.core.testing.argocd;

/**
 * An error the fake answers with, as the real server does: a gRPC status code mapped to HTTP by
 * grpc-gateway, and a body {@code {"error":M,"code":G,"message":M}} (CONTRACT.md section 0).
 */
final class ArgoError extends RuntimeException {

    static final int UNKNOWN = 2;
    static final int INVALID_ARGUMENT = 3;
    static final int NOT_FOUND = 5;
    static final int PERMISSION_DENIED = 7;
    static final int FAILED_PRECONDITION = 9;
    static final int UNIMPLEMENTED = 12;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;
    static final int UNAUTHENTICATED = 16;

    private final int grpcCode;

    ArgoError(int grpcCode, String message) {
        super(message, null, false, false);
        this.grpcCode = grpcCode;
    }

    int grpcCode() {
        return grpcCode;
    }

    int httpStatus() {
        return httpStatusOf(grpcCode);
    }

    static int httpStatusOf(int grpcCode) {
        return switch (grpcCode) {
            case 0 -> 200;
            case 1 -> 499;
            case 3, 9, 11 -> 400;
            case 4 -> 504;
            case 5 -> 404;
            case 6, 10 -> 409;
            case 7 -> 403;
            case 8 -> 429;
            case 12 -> 501;
            case 14 -> 503;
            case 16 -> 401;
            default -> 500;
        };
    }

    /** The gRPC code grpc-gateway would have produced for an HTTP status (for injected faults). */
    static int grpcCodeOf(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> INVALID_ARGUMENT;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> NOT_FOUND;
            case 405, 501 -> UNIMPLEMENTED;
            case 409 -> 10;
            case 429 -> 8;
            case 503 -> UNAVAILABLE;
            case 504 -> 4;
            default -> httpStatus >= 500 ? INTERNAL : 2;
        };
    }

    static String httpStatusText(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + httpStatus;
        };
    }
}
