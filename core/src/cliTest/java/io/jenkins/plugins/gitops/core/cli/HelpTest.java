package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** What {@code gitops [COMMAND] --help} prints. */
class HelpTest {

    private static final String[] COMMANDS = {"set-image", "resolve", "push", "update", "rollback", "sync"};

    @ParameterizedTest
    @ValueSource(strings = {"set-image", "push", "update", "rollback", "sync"})
    void helpNeverBreaksAWordAndFitsEightyColumns(String command) {
        Result help = run(command, "--help");

        assertThat(help.exit()).isZero();
        List<String> lines = help.out().lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
        CommandSpec spec = GitopsCommand.commandLine(new String[] {command}, new Environment(Map.of()))
                .getSubcommands().get(command).getCommandSpec();
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        texts.addAll(spec.usageMessage().exitCodeList().values());
        for (ArgSpec argument : spec.args()) {
            texts.addAll(List.of(argument.description()));
        }
        for (String text : texts) {
            for (String word : text.split("\\s+")) {
                assertThat(lines).as("a line holding the whole of '%s'", word).anySatisfy(line -> assertThat(line).contains(word));
            }
        }
    }

    @Test
    void commitTemplateVariablesAreShownAsWritten() {
        for (String command : List.of("push", "update")) {
            Result help = run(command, "--help");
            assertThat(help.out()).contains("${image}", "${oldTag}", "${newVersion}", "${buildUrl}.", "for ${app}").doesNotContain("null");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"set-image", "push", "update", "rollback", "sync"})
    void everyCommandsHelpEndsWithExamplesThatUseIt(String command) {
        String help = run(command, "--help").out();

        assertThat(help).contains("\nExamples:\n");
        String examples = help.substring(help.indexOf("\nExamples:\n"));
        assertThat(examples).contains("gitops " + command + " ");
    }

    @Test
    void topLevelHelpListsOneLinePerCommand() {
        String help = run("--help").out();

        List<String> list = help.substring(help.indexOf("Commands:\n")).lines().skip(1).takeWhile(line -> !line.isEmpty()).toList();
        assertThat(list).hasSize(COMMANDS.length + 1).allSatisfy(line -> assertThat(line).matches("  [a-z-]+ +[A-Z].*"));
        assertThat(list.stream().map(line -> line.strip().split(" ")[0])).containsExactly("help", "set-image", "resolve", "push", "update", "rollback", "sync");
    }

    @Test
    void gitopsAlonePrintsTheHelp() {
        assertThat(run().out()).isEqualTo(run("--help").out()).startsWith("Usage: gitops [OPTIONS] COMMAND\n");
    }

    @Test
    void helpCommandPrintsACommandsHelp() {
        assertThat(run("help", "sync").out()).isEqualTo(run("sync", "--help").out()).startsWith("Usage: gitops sync [APP] [OPTIONS]\n");
    }
}
