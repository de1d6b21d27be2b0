package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GitopsCommandTest {

    @Test
    void buildsOnlyTheSubcommandARunNames() {
        assertThat(commandLine("set-image", "--image", "nginx").getSubcommands())
                .containsOnlyKeys("set-image");
    }

    @Test
    void buildsEverySubcommandForHelpAndForARunNamingNone() {
        String[] all = {"help", "set-image", "push", "update", "sync"};
        assertThat(commandLine("help", "set-image").getSubcommands()).containsOnlyKeys(all);
        assertThat(commandLine("--version").getSubcommands()).containsOnlyKeys(all);
        assertThat(commandLine().getSubcommands()).containsOnlyKeys(all);
    }

    private static CommandLine commandLine(String... args) {
        return GitopsCommand.commandLine(args, new Environment(Map.of()));
    }
}
