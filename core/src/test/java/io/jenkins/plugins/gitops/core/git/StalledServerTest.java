package io.jenkins.plugins.gitops.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.git.GitSshServer;
import io.jenkins.plugins.gitops.core.testing.git.SshClientKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that stalls (a pre-receive hook that takes its time) is reported in the timeout the caller set, never in
 * JGit's own figure ("Read timed out after 10,000 ms" for a 1 s timeout): git waits ten times the timeout for the
 * result of a push over SSH, and the message says so.
 */
class StalledServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path temp;

    /** How the push reaches the server; the message the stall must give. */
    interface Transport {
        GitRemote remote(Path served, String repository) throws IOException;

        void close();
    }

    static Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of("ssh", "the server sent nothing for 10 s while it processed the pushed commits",
                        "git waits ten times the network timeout of 1 s"),
                Arguments.of("http", "the server sent nothing for 1 s (the network timeout)", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aStallIsReportedInTheTimeoutTheCallerSet(String transport, String stall, String why) throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        BareRepository bare = GitServers.configRepository(served, 1);
        bare.installHook("pre-receive", "#!/bin/sh\ncat >/dev/null\nsleep 25\n");
        AutoCloseable server;
        GitRemote remote;
        if (transport.equals("ssh")) {
            SshClientKey key = SshClientKey.generate(Files.createDirectories(temp.resolve("keys")), "client", "");
            GitSshServer ssh = GitSshServer.start(served, key.publicKey());
            server = ssh;
            remote = new GitRemote(ssh.url(bare.name()), GitCredentials.sshKey(key.privateKey(), null),
                    HostKeyPolicy.knownHosts(ssh.knownHostsLine() + "\n"), TIMEOUT);
        } else {
            GitHttpServer http = GitHttpServer.start(served, GitServers.USER, GitServers.PASSWORD);
            server = http;
            remote = new GitRemote(http.url(bare.name()), GitCredentials.usernamePassword(GitServers.USER,
                    GitServers.PASSWORD), HostKeyPolicy.off(), TIMEOUT);
        }
        try (server; JGitConfigRepository repository = JGitConfigRepository.cloneInto(temp.resolve("checkout"), remote,
                CloneOptions.defaults(), GitProgress.silent())) {
            GitOperationException failure = catchThrowableOfType(GitOperationException.class, () -> new UpdateLoop(
                    UpdateLoop.Settings.defaults(), GitProgress.silent())
                    .run(repository, new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0")));

            assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.TRANSPORT);
            assertThat(failure.getMessage()).startsWith("Cannot push to ").contains(stall).contains(why)
                    .doesNotContain(" ms");
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
