package io.jenkins.plugins.gitops.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gitops} root command; each subcommand is one capability of the engine. */
@Command(
        name = "gitops",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = 2, // ExitCode.BAD_INPUT
        exitCodeOnExecutionException = 1, // ExitCode.FAILURE
        versionProvider = GitopsCommand.Version.class,
        description = "Update images in a GitOps config repository, push race-safely, and sync Argo CD until the new version runs.",
        subcommands = {CommandLine.HelpCommand.class, SetImageCommand.class, PushCommand.class, UpdateCommand.class,
            SyncCommand.class})
public final class GitopsCommand {

    static CommandLine commandLine() {
        return new CommandLine(new GitopsCommand());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = GitopsCommand.class.getPackage().getImplementationVersion();
            return new String[] {"gitops " + (version == null ? "development build" : version)};
        }
    }
}
