package io.jenkins.plugins.gitops.core.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/** Entry point of the {@code gitops} command-line tool. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // Straight onto the file descriptors: System.out would swallow a failed write (a full disk, a closed pipe).
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), Charset.defaultCharset()));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), Charset.defaultCharset()));
        int exit = run(Environment.ofProcess(), out, err, args);
        HttpClientSelectors.stop();
        System.exit(exit);
    }

    /**
     * Runs the tool in-process and returns its exit code; tests call this instead of {@link #main}. A run whose
     * result could not be written to {@code out} never exits 0.
     */
    static int run(Environment environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = GitopsCommand.commandLine(args, environment);
        commandLine.setOut(out);
        commandLine.setErr(err);
        int exit = commandLine.execute(args);
        out.flush();
        if (out.checkError()) {
            new Console(commandName(commandLine), out, err, false).message("cannot write the output to stdout");
            return exit == ExitCode.OK.code() ? ExitCode.FAILURE.code() : exit;
        }
        return exit;
    }

    /** {@code gitops}, or {@code gitops <subcommand>} when the run got that far. */
    private static String commandName(CommandLine commandLine) {
        CommandLine.ParseResult parsed = commandLine.getParseResult();
        while (parsed != null && parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return parsed != null ? parsed.commandSpec().qualifiedName() : commandLine.getCommandName();
    }
}
