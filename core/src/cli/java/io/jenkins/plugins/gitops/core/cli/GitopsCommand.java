package io.jenkins.plugins.gitops.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code gitops} root command; each subcommand is one capability of the engine. */
@Command(
        name = "gitops",
        mixinStandardHelpOptions = true,
        versionProvider = GitopsCommand.Version.class,
        description = "Update images in a GitOps config repository, push race-safely, and sync Argo CD until the new version runs.",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nRun 'gitops COMMAND --help' for a command's options and examples.%n")
public final class GitopsCommand implements Callable<Integer> {

    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            CommandLine.HelpCommand.class,
            SetImageCommand.class,
            ResolveCommand.class,
            PushCommand.class,
            UpdateCommand.class,
            RollbackCommand.class,
            SyncCommand.class);

    @Spec
    CommandSpec spec;

    /** {@code gitops} alone prints the help, as kubectl and gh do. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.OK.code();
    }

    /**
     * The command tree a run with {@code args} needs: when the first argument names a subcommand other than
     * {@code help}, only that one is built (building a subcommand's model loads its classes, tens of milliseconds
     * each at start-up); otherwise all of them, for help and for picocli's error messages.
     */
    static CommandLine commandLine(String[] args, Environment environment) {
        CommandLine commandLine = new CommandLine(new GitopsCommand(), new Factory(environment));
        String first = args.length > 0 ? args[0] : "";
        boolean onlyOne = !first.equals("help") && SUBCOMMANDS.stream().anyMatch(subcommand -> nameOf(subcommand).equals(first));
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (!onlyOne || nameOf(subcommand).equals(first)) {
                commandLine.addSubcommand(subcommand);
            }
        }
        HelpLayout.apply(commandLine);
        commandLine.setParameterExceptionHandler(GitopsCommand::usageError);
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> new Console(failed.getCommandSpec().qualifiedName(),
                failed.getOut(), failed.getErr(), asksForJson(parsed.originalArgs().toArray(String[]::new)))
                .fail(new Failure(ExitCode.FAILURE, "unexpected", "unexpected failure: " + e)));
        return commandLine;
    }

    private static String nameOf(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        return new Console(failed.getCommandSpec().qualifiedName(), failed.getOut(), failed.getErr(), asksForJson(args))
                .usageError(problem(e));
    }

    /**
     * One line naming what is wrong. An argument the command does not know comes first, whatever else it caused:
     * {@code --imge nginx} is an unknown option, not a missing {@code --image}.
     */
    static String problem(ParameterException e) {
        CommandLine failed = e.getCommandLine();
        List<String> unmatched = failed.getUnmatchedArguments();
        if (!unmatched.isEmpty()) {
            String first = unmatched.get(0);
            UnmatchedArgumentException unknown = e instanceof UnmatchedArgumentException u ? u
                    : new UnmatchedArgumentException(failed, unmatched);
            List<String> suggestions = unknown.getSuggestions();
            String what = first.startsWith("-") ? "unknown option '" + first.split("=", 2)[0] + "'" // never echo a value
                    : failed.getSubcommands().isEmpty() ? "unexpected argument '" + first + "'"
                    : "unknown command '" + first + "'";
            return what + (suggestions.isEmpty() ? "" : " (did you mean '" + suggestions.get(0) + "'?)");
        }
        String message = e.getMessage().strip().replace('\n', ' ');
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** Whether the run asked for JSON, read from the raw arguments since they may not have parsed. */
    static boolean asksForJson(String[] args) {
        return Arrays.asList(args).subList(0, endOfOptions(args)).contains("--json");
    }

    private static int endOfOptions(String[] args) {
        int end = Arrays.asList(args).indexOf("--");
        return end < 0 ? args.length : end;
    }

    /** {@code gitops VERSION (commit SHA)}, from the build's {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = GitopsCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[] {"gitops " + build.getProperty("version", "(development build)")
                    + " (commit " + build.getProperty("commit", "unknown") + ")"};
        }
    }

    /** Creates commands and option groups, handing the run's {@link Environment} to those that read it. */
    private record Factory(Environment environment) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            Constructor<K> withEnvironment;
            try {
                withEnvironment = type.getDeclaredConstructor(Environment.class);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
            return withEnvironment.newInstance(environment);
        }
    }
}
