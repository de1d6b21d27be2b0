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
        String[] all = {"help", "set-image", "resolve", "push", "update", "rollback", "sync"};
        assertThat(commandLine("help", "set-image").getSubcommands()).containsOnlyKeys(all);
        assertThat(commandLine("--version").getSubcommands()).containsOnlyKeys(all);
        assertThat(commandLine().getSubcommands()).containsOnlyKeys(all);
    }

    @Test
    void versionNamesTheReleaseAndTheCommitItWasBuiltFromInEveryCommand() {
        Gitops.Result version = Gitops.run("--version");

        assertThat(version.exit()).isZero();
        assertThat(version.out()).matches("gitops [0-9][^ ]* \\(commit ([0-9a-f]{40}|unknown)\\)\n");
        for (String command : new String[] {"set-image", "push", "update", "rollback", "sync"}) {
            assertThat(Gitops.run(command, "-V").out()).as(command).isEqualTo(version.out());
        }
    }

    private static CommandLine commandLine(String... args) {
        return GitopsCommand.commandLine(args, new Environment(Map.of()));
    }
}
