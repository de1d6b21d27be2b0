package io.jenkins.plugins.gitops.core.git;

import static io.jenkins.plugins.gitops.core.git.HttpConfigRepositoryTest.stackTrace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitSshServer;
import io.jenkins.plugins.gitops.core.testing.git.SshClientKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshConfigRepositoryTest {

    private static final String PASSPHRASE = "correct-horse-Passphrase-7";

    @TempDir
    static Path temp;

    private static BareRepository bare;
    private static GitSshServer server;
    private static SshClientKey authorized;
    private static SshClientKey stranger;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final GitProgress progress = new GitProgress() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {
            warnings.add(message);
        }
    };

    @BeforeAll
    static void startServer() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        Path keys = Files.createDirectories(temp.resolve("keys"));
        bare = GitServers.configRepository(served, 2);
        authorized = SshClientKey.generate(keys, "authorized", PASSPHRASE);
        stranger = SshClientKey.generate(keys, "stranger", "");
        server = GitSshServer.start(served, authorized.publicKey());
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    private JGitConfigRepository cloneWith(GitCredentials credentials, HostKeyPolicy hostKeys, String directory) {
        return JGitConfigRepository.cloneInto(
                temp.resolve(directory), new GitRemote(server.url(bare.name()), credentials, hostKeys),
                CloneOptions.defaults(), progress);
    }

    private static GitCredentials authorizedKey() {
        return GitCredentials.sshKey(authorized.privateKey(), PASSPHRASE);
    }

    /** Clones {@code url} with the authorized key carrying the user name "deploy-bot"; the user names the server saw. */
    private List<String> usersLoggedInCloning(String url, String directory) throws IOException {
        GitRemote remote = new GitRemote(url, GitCredentials.sshKey(authorized.privateKey(), PASSPHRASE, "deploy-bot"),
                HostKeyPolicy.knownHosts(server.knownHostsLine() + "\n"));
        int before = server.authenticatedUsers().size();
        try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(
                temp.resolve(directory), remote, CloneOptions.defaults(), progress)) {
            assertThat(repository.workTree().resolve(GitServers.appFile(0))).exists();
        }
        List<String> users = server.authenticatedUsers();
        return users.subList(before, users.size());
    }

    @Test
    void logsInAsTheKeysUserNameWhenTheUrlNamesNone() throws IOException {
        assertThat(usersLoggedInCloning(server.urlWithoutUser(bare.name()), "key-user")).isNotEmpty().containsOnly("deploy-bot");
    }

    @Test
    void theUrlsUserNameWinsOverTheKeys() throws IOException {
        assertThat(usersLoggedInCloning(server.url(bare.name()), "url-user")).isNotEmpty().containsOnly("git");
    }

    @Test
    void refusesAUserNameThatIsNotOne() {
        assertThatThrownBy(() -> GitCredentials.sshKey(authorized.privateKey(), PASSPHRASE, "git@example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("git@example.org");
    }

    @Test
    void clonesAndPushesWithAnEncryptedKeyAndAKnownHostKey() throws IOException {
        try (JGitConfigRepository repository = cloneWith(
                authorizedKey(), HostKeyPolicy.knownHosts(server.knownHostsLine() + "\n"), "good")) {
            UpdateResult.Pushed pushed = (UpdateResult.Pushed) new UpdateLoop(UpdateLoop.Settings.defaults(), progress)
                    .run(repository, new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "5.0.0"));

            assertThat(bare.commitOf("main")).isEqualTo(pushed.commit());
            assertThat(bare.show("main", GitServers.appFile(0))).contains("app0:5.0.0");
            bare.fsck();
            String config = Files.readString(repository.workTree().resolve(".git/config"));
            assertThat(config).doesNotContain(PASSPHRASE).doesNotContain("PRIVATE KEY");
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void anUnauthorizedKeyFailsWithAnAuthenticationErrorThatHoldsNoSecret() {
        GitOperationException failure = catchThrowableOfType(GitOperationException.class, () -> cloneWith(
                GitCredentials.sshKey(stranger.privateKey(), null), HostKeyPolicy.knownHosts(server.knownHostsLine()), "stranger"));

        assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.AUTHENTICATION);
        assertThat(failure.getMessage()).contains(server.url(bare.name()));
        assertThat(stackTrace(failure)).doesNotContain(secretLine(stranger)).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aWrongPassphraseFailsWithoutEchoingIt() {
        String wrong = "not-the-Passphrase-42";
        GitOperationException failure = catchThrowableOfType(GitOperationException.class, () -> cloneWith(
                GitCredentials.sshKey(authorized.privateKey(), wrong), HostKeyPolicy.knownHosts(server.knownHostsLine()), "wrong-passphrase"));

        assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.AUTHENTICATION);
        assertThat(failure.getMessage()).contains("passphrase");
        assertThat(stackTrace(failure)).doesNotContain(wrong).doesNotContain(PASSPHRASE).doesNotContain(secretLine(authorized));
    }

    /** A known_hosts file as OpenSSH reads it: hashed names match, {@code @revoked} wins, {@code @cert-authority} trusts nothing here. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a hashed host name                                  | HASHED                      | true
            a hashed name of another host                       | HASHED_OTHER                | false
            the key marked @revoked next to the same key listed | PLAIN\\n@revoked PLAIN       | false
            the key under @cert-authority only                  | @cert-authority PLAIN       | false
            """)
    void knownHostsLinesAreReadAsOpenSshReadsThem(String name, String content, boolean trusted) throws Exception {
        String plain = server.knownHostsLine();
        String key = plain.substring(plain.indexOf(' ') + 1);
        String knownHosts = content.replace("\\n", "\n")
                .replace("HASHED_OTHER", hashed("[127.0.0.2]:" + server.port()) + " " + key)
                .replace("HASHED", hashed("[127.0.0.1]:" + server.port()) + " " + key)
                .replace("PLAIN", plain) + "\n";
        String directory = "known-hosts-" + name.replace(' ', '-').replace("@", "");

        if (trusted) {
            try (JGitConfigRepository repository = cloneWith(authorizedKey(), HostKeyPolicy.knownHosts(knownHosts), directory)) {
                assertThat(repository.workTree().resolve(GitServers.appFile(0))).exists();
            }
        } else {
            GitOperationException failure = catchThrowableOfType(GitOperationException.class, () ->
                    cloneWith(authorizedKey(), HostKeyPolicy.knownHosts(knownHosts), directory));
            assertThat(failure).as("refused").isNotNull();
            assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.HOST_KEY);
            assertThat(failure.getMessage()).contains("[127.0.0.1]:" + server.port());
        }
    }

    /** {@code |1|salt|HMAC-SHA1(salt, host)}, as {@code ssh-keygen -H} writes a host name. */
    private static String hashed(String host) throws GeneralSecurityException {
        byte[] salt = new byte[20];
        new SecureRandom().nextBytes(salt);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(host.getBytes(StandardCharsets.UTF_8));
        return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash);
    }

    @Test
    void anUnknownHostKeyIsRefusedWithAClearError() {
        GitOperationException failure = catchThrowableOfType(GitOperationException.class, () ->
                cloneWith(authorizedKey(), HostKeyPolicy.knownHosts(""), "unknown-host"));

        assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.HOST_KEY);
        assertThat(failure.getMessage()).contains("[127.0.0.1]:" + server.port()).contains("not in the known hosts");
        assertThat(stackTrace(failure)).doesNotContain(PASSPHRASE).doesNotContain(secretLine(authorized));
    }

    @Test
    void aChangedHostKeyIsRefused() {
        String otherKey = "[127.0.0.1]:" + server.port() + " " + stranger.publicKeyLine().replaceFirst(" stranger$", "");
        GitOperationException failure = catchThrowableOfType(GitOperationException.class, () ->
                cloneWith(authorizedKey(), HostKeyPolicy.knownHosts(otherKey), "changed-host"));

        assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.HOST_KEY);
        assertThat(failure.getMessage()).contains("CHANGED");
    }

    @Test
    void acceptNewTrustsAnUnlistedHost() {
        try (JGitConfigRepository repository = cloneWith(authorizedKey(), HostKeyPolicy.acceptNew(), "accept-new")) {
            assertThat(repository.head()).isEqualTo(bare.commitOf("main"));
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void acceptNewRecordedWritesTheKeyToTheFileSoThatTheNextConnectionChecksIt() throws IOException {
        Path knownHosts = temp.resolve("recorded/.ssh/known_hosts");

        try (JGitConfigRepository repository =
                cloneWith(authorizedKey(), new HostKeyPolicy.AcceptNewRecorded(knownHosts), "accept-new-recorded")) {
            assertThat(repository.head()).isEqualTo(bare.commitOf("main"));
        }

        // The line recorded is the one the server's own known_hosts line describes, and a strict check accepts it.
        String recorded = Files.readString(knownHosts);
        assertThat(recorded).isEqualTo(server.knownHostsLine().strip() + "\n");
        try (JGitConfigRepository repository =
                cloneWith(authorizedKey(), HostKeyPolicy.knownHosts(recorded), "strict-after-recorded")) {
            assertThat(repository.head()).isEqualTo(bare.commitOf("main"));
        }
        // A second first connection records nothing more.
        cloneWith(authorizedKey(), new HostKeyPolicy.AcceptNewRecorded(knownHosts), "accept-new-again").close();
        assertThat(Files.readString(knownHosts)).isEqualTo(recorded);
    }

    @Test
    void acceptNewRecordedRefusesAHostWhoseRecordedKeyDiffers() throws IOException {
        Path knownHosts = temp.resolve("other-key/known_hosts");
        Files.createDirectories(knownHosts.getParent());
        String otherKey = "[127.0.0.1]:" + server.port() + " " + stranger.publicKeyLine().replaceFirst(" stranger$", "");
        Files.writeString(knownHosts, otherKey); // no final newline: a recorded line must still start on its own

        GitOperationException failure = catchThrowableOfType(GitOperationException.class, () -> cloneWith(
                authorizedKey(), new HostKeyPolicy.AcceptNewRecorded(knownHosts), "accept-new-changed"));

        assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.HOST_KEY);
        assertThat(failure.getMessage()).contains("CHANGED");
        assertThat(Files.readString(knownHosts)).isEqualTo(otherKey);
    }

    @Test
    void verificationOffWorksButWarns() {
        try (JGitConfigRepository repository = cloneWith(authorizedKey(), HostKeyPolicy.off(), "off")) {
            assertThat(repository.head()).isEqualTo(bare.commitOf("main"));
        }
        assertThat(warnings).anySatisfy(warning -> assertThat(warning).contains("verification is OFF"));
    }

    /** A line from the middle of the private key file: key material that must never be echoed. */
    private static String secretLine(SshClientKey key) {
        String[] lines = key.privateKey().split("\n");
        return lines[lines.length / 2];
    }
}
