package io.jenkins.plugins.gitops.core.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gitops} root command; each subcommand is one capability of the engine. */
@Command(
        name = "gitops",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = 2, // ExitCode.BAD_INPUT
        exitCodeOnExecutionException = 1, // ExitCode.FAILURE
        versionProvider = GitopsCommand.Version.class,
        description = "Update images in a GitOps config repository, push race-safely, and sync Argo CD until the new version runs.")
public final class GitopsCommand {

    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            CommandLine.HelpCommand.class,
            SetImageCommand.class,
            PushCommand.class,
            UpdateCommand.class,
            SyncCommand.class);

    /** The whole command tree. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree a run with {@code args} needs: when the first argument names a subcommand other than
     * {@code help}, only that one is built (building a subcommand's model loads its classes, tens of milliseconds
     * each at start-up); otherwise all of them, for help and for picocli's error messages.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine commandLine = new CommandLine(new GitopsCommand());
        String first = args.length > 0 ? args[0] : "";
        boolean onlyOne = !first.equals("help") && SUBCOMMANDS.stream().anyMatch(subcommand -> nameOf(subcommand).equals(first));
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (!onlyOne || nameOf(subcommand).equals(first)) {
                commandLine.addSubcommand(subcommand);
            }
        }
        return commandLine;
    }

    private static String nameOf(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = GitopsCommand.class.getPackage().getImplementationVersion();
            return new String[] {"gitops " + (version == null ? "development build" : version)};
        }
    }
}
