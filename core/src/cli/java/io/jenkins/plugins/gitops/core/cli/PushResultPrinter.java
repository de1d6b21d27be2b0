package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/** How {@code push} and {@code update} print their result or failure, and which exit code they return. */
final class PushResultPrinter {

    private final CommandSpec spec;
    private final boolean json;

    PushResultPrinter(CommandSpec spec, boolean json) {
        this.spec = spec;
        this.json = json;
    }

    int result(UpdateResult result) {
        PrintWriter out = spec.commandLine().getOut();
        if (result instanceof UpdateResult.Pushed pushed) {
            if (json) {
                ObjectNode node = base("PUSHED", ExitCode.OK);
                node.put("commit", pushed.commit());
                node.put("branch", pushed.branch());
                node.put("attempts", pushed.attempts());
                pushed.files().forEach(node.putArray("files")::add);
                out.println(node);
            } else {
                out.println("pushed " + pushed.commit() + " to " + pushed.branch() + " (attempt " + pushed.attempts()
                        + "): " + String.join(", ", pushed.files()));
            }
            out.flush();
            return ExitCode.OK.code();
        }
        UpdateResult.NoChange none = (UpdateResult.NoChange) result;
        if (json) {
            ObjectNode node = base("NO_CHANGE", ExitCode.NOTHING_TO_CHANGE);
            node.put("branch", none.branch());
            node.put("attempts", none.attempts());
            node.put("reason", none.reason());
            out.println(node);
        } else {
            out.println("no change: " + none.reason());
        }
        out.flush();
        return ExitCode.NOTHING_TO_CHANGE.code();
    }

    int failure(RuntimeException e) {
        ExitCode exit;
        String kind;
        if (e instanceof GitOperationException git) {
            kind = git.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
            exit = switch (git.kind()) {
                case AUTHENTICATION, HOST_KEY -> ExitCode.AUTH_FAILED;
                case PUSH_REJECTED -> ExitCode.PUSH_REJECTED;
                case ATTEMPTS_EXHAUSTED -> ExitCode.ATTEMPTS_EXHAUSTED;
                case BAD_INPUT -> ExitCode.BAD_INPUT;
                case TRANSPORT -> ExitCode.FAILURE;
            };
        } else if (e instanceof JournalledEdits.ImageNotFoundException) {
            kind = "image-not-found";
            exit = ExitCode.IMAGE_NOT_FOUND;
        } else if (e instanceof ManifestEditException edit) {
            kind = edit.problem().name().toLowerCase(Locale.ROOT).replace('_', '-');
            exit = switch (edit.problem()) {
                case VERIFICATION_FAILED, IO_ERROR -> ExitCode.FAILURE;
                default -> ExitCode.BAD_INPUT;
            };
        } else if (e instanceof IllegalArgumentException) {
            kind = "bad-argument";
            exit = ExitCode.BAD_INPUT;
        } else {
            throw e;
        }
        if (json) {
            ObjectNode node = base("ERROR", exit);
            ObjectNode error = node.putObject("error");
            error.put("kind", kind);
            error.put("message", e.getMessage());
            spec.commandLine().getOut().println(node);
            spec.commandLine().getOut().flush();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("gitops " + spec.name() + ": " + e.getMessage());
        err.flush();
        return exit.code();
    }

    private static ObjectNode base(String outcome, ExitCode exit) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("outcome", outcome);
        node.put("exitCode", exit.code());
        return node;
    }

    /** Loaded on first use: only --json pays for Jackson's start-up. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
