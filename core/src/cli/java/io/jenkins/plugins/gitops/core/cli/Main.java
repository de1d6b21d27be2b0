package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.redaction.RedactedWriter;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code gitops} command-line tool. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool in-process and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        CommandLine commandLine = GitopsCommand.commandLine(args);
        return run(commandLine.getOut(), commandLine.getErr(), commandLine, args);
    }

    /** Runs the tool in-process with its stdout and stderr going to {@code out} and {@code err}. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, GitopsCommand.commandLine(args), args);
    }

    /**
     * Everything the tool prints, picocli's own messages and stack traces included, goes through one redacting writer
     * per stream (see docs/cli.md, "What is redacted").
     */
    private static int run(PrintWriter out, PrintWriter err, CommandLine commandLine, String... args) {
        SecretInput.registerEnvironment();
        commandLine.setOut(RedactedWriter.printWriter(out));
        commandLine.setErr(RedactedWriter.printWriter(err));
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }
}
