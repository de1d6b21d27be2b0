package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitopsCommandTest {

    @Test
    void buildsOnlyTheSubcommandARunNames() {
        assertThat(GitopsCommand.commandLine(new String[] {"set-image", "--image", "nginx"}).getSubcommands())
                .containsOnlyKeys("set-image");
    }

    @Test
    void buildsEverySubcommandForHelpAndForARunNamingNone() {
        String[] all = {"help", "set-image", "push", "update", "sync"};
        assertThat(GitopsCommand.commandLine(new String[] {"help", "set-image"}).getSubcommands()).containsOnlyKeys(all);
        assertThat(GitopsCommand.commandLine(new String[] {"--version"}).getSubcommands()).containsOnlyKeys(all);
        assertThat(GitopsCommand.commandLine(new String[0]).getSubcommands()).containsOnlyKeys(all);
    }
}
