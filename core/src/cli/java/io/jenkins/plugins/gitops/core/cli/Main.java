package io.jenkins.plugins.gitops.core.cli;

import picocli.CommandLine;

/** Entry point of the {@code gitops} command-line tool. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool in-process and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return GitopsCommand.commandLine(args).execute(args);
    }
}
