package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.argocd.ApplicationNotFoundException;
import io.jenkins.plugins.gitops.core.argocd.AuthenticationFailedException;
import io.jenkins.plugins.gitops.core.argocd.InvalidRequestException;
import io.jenkins.plugins.gitops.core.argocd.PermissionDeniedException;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException;
import io.jenkins.plugins.gitops.core.update.TargetRefusedException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Why a command ended without an outcome.
 *
 * @param problem what kind of failure, in kebab case ({@code bad-argument}, {@code auth-failed}, {@code malformed-yaml})
 * @param file the file at fault, relative to the repository, or {@code null}
 * @param line its 1-based line, or {@code null}
 * @param message the whole message, naming the argument or the file and line at fault
 */
record Failure(ExitCode exit, String problem, String file, Integer line, String message) {

    Failure(ExitCode exit, String problem, String message) {
        this(exit, problem, null, null, message);
    }

    /** Command-line input that the command refuses. */
    static Failure badArgument(String message) {
        return new Failure(ExitCode.BAD_INPUT, "bad-argument", message);
    }

    /** An edit the engine refused: bad input (exit 2), except a failed read or write or a failed verification (1). */
    static Failure of(ManifestEditException e) {
        ExitCode exit = switch (e.problem()) {
            case VERIFICATION_FAILED, IO_ERROR -> ExitCode.FAILURE;
            default -> ExitCode.BAD_INPUT;
        };
        return new Failure(exit, kebab(e.problem().name()), e.file(), e.file() != null && e.line() > 0 ? e.line() : null,
                e.getMessage());
    }

    /**
     * An application that cannot be read or edited through its Application: Argo CD's refusals by kind (as
     * {@code gitops sync} reports them), and a source the engine cannot edit in git (bad input: the message says what
     * to give instead).
     */
    static Failure of(RuntimeException e) {
        if (e instanceof TargetRefusedException) {
            return new Failure(ExitCode.BAD_INPUT, "app-target-refused", e.getMessage());
        }
        if (e instanceof AuthenticationFailedException || e instanceof PermissionDeniedException) {
            return new Failure(ExitCode.AUTH_FAILED, "auth-failed", e.getMessage());
        }
        if (e instanceof ApplicationNotFoundException) {
            return new Failure(ExitCode.BAD_INPUT, "app-not-found", e.getMessage());
        }
        if (e instanceof InvalidRequestException) {
            return new Failure(ExitCode.BAD_INPUT, "argocd-refused", e.getMessage());
        }
        return new Failure(ExitCode.FAILURE, "argocd-unavailable", e.getMessage());
    }

    /** Why a file could not be read, in words ({@code no such file}), without the path the message names already. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** {@code ATTEMPTS_EXHAUSTED} as {@code attempts-exhausted}. */
    static String kebab(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
