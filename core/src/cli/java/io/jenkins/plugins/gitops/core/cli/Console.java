package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one way out of a command: every character the tool prints goes through {@link #write}, so that a rule about
 * output (the prefix, screening text) holds everywhere by construction. Help and version text are picocli's.
 *
 * <ul>
 *   <li>stdout carries the result only: plain lines, or with {@code --json} exactly one JSON object, whatever the
 *       outcome (errors included);
 *   <li>stderr carries messages, each starting with {@code gitops <command>: }.
 * </ul>
 */
final class Console {

    private final String command;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Console(String command, PrintWriter out, PrintWriter err, boolean json) {
        this.command = command;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** The console of a running command, e.g. {@code gitops sync}. */
    static Console of(CommandSpec spec, boolean json) {
        return new Console(spec.qualifiedName(), spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    }

    boolean json() {
        return json;
    }

    /** A line of the plain result on stdout; nothing with {@code --json}, where the object says it all. */
    void result(String line) {
        if (!json) {
            emit(out, line);
        }
    }

    /** A unified diff on stdout, as it is (it ends with its own newline). */
    void diff(String diff) {
        if (!json) {
            write(out, diff);
        }
    }

    /** The result object on stdout, with {@code --json} only. */
    void result(ObjectNode node) {
        if (json) {
            emit(out, node.toString());
        }
    }

    /** A message on stderr. A message of several lines (a server's hook output) keeps its lines after the first. */
    void message(String text) {
        emit(err, command + ": " + text);
    }

    void warning(String text) {
        message("warning: " + text);
    }

    /**
     * Reports a failure: its message on stderr, and with {@code --json} the error object on stdout.
     *
     * @param fields fields of the command's result that are known anyway (e.g. the application), added to the object
     * @return the exit code
     */
    int fail(Failure failure, ObjectNode fields) {
        message(failure.message());
        if (json) {
            ObjectNode node = object("ERROR", failure.exit());
            if (fields != null) {
                node.setAll(fields);
            }
            ObjectNode error = node.putObject("error");
            error.put("problem", failure.problem());
            error.put("file", failure.file());
            error.put("line", failure.line());
            error.put("message", failure.message());
            emit(out, node.toString());
        }
        return failure.exit().code();
    }

    int fail(Failure failure) {
        return fail(failure, null);
    }

    /** A usage error: one line naming the problem, then where to read how the command is used. */
    int usageError(String problem) {
        int exit = fail(Failure.badArgument(problem));
        message("see '" + command + " --help'");
        return exit;
    }

    /** A result object starting with the outcome and the exit code, the two fields every object has. */
    static ObjectNode object(String outcome, ExitCode exit) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("outcome", outcome);
        node.put("exitCode", exit.code());
        return node;
    }

    private static void emit(PrintWriter to, String line) {
        write(to, line + System.lineSeparator());
    }

    /** Every character the tool prints passes here. */
    private static void write(PrintWriter to, String text) {
        to.print(text);
        to.flush();
    }
}
