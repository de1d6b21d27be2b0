package io.jenkins.plugins.gitops.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that stalls is reported in the timeout the caller set, never in JGit's own figure: for the result of a push
 * JGit waits ten times the timeout (the server runs its hooks before it answers) and then says "Read timed out after
 * 10,000 ms" for a timeout of 1 s. The message says what happened, in seconds, and why it is ten times the timeout.
 */
class StalledServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path temp;

    @Test
    void aPushWhoseHookStallsIsReportedInTheTimeoutTheCallerSet() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        BareRepository bare = GitServers.configRepository(served, 1);
        Path stalled = temp.resolve("hook-stalled");
        bare.installHook("pre-receive", "#!/bin/sh\ncat >/dev/null\ntouch '" + stalled + "'\nsleep 25\n");
        try (GitHttpServer server = GitHttpServer.start(served, GitServers.USER, GitServers.PASSWORD);
                JGitConfigRepository repository = JGitConfigRepository.cloneInto(temp.resolve("checkout"),
                        new GitRemote(server.url(bare.name()),
                                GitCredentials.usernamePassword(GitServers.USER, GitServers.PASSWORD), HostKeyPolicy.off(),
                                TIMEOUT),
                        CloneOptions.defaults(), GitProgress.silent())) {
            GitOperationException failure = catchThrowableOfType(GitOperationException.class, () -> new UpdateLoop(
                    UpdateLoop.Settings.defaults(), GitProgress.silent())
                    .run(repository, new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0")));

            assertThat(failure).as("the push fails").isNotNull();
            assertThat(stalled).as("the stall came from the hook, not from elsewhere").exists();
            assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.TRANSPORT);
            assertThat(failure.getMessage()).startsWith("Cannot push to " + server.url(bare.name()) + ": ")
                    .contains("the server sent nothing for 10 s while it processed the pushed commits")
                    .contains("git waits ten times the network timeout of 1 s")
                    .doesNotContain(" ms");
        }
    }
}
