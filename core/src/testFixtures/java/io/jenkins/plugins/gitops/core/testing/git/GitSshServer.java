package io.jenkins.plugins.gitops.core.testing.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * Git over SSH on 127.0.0.1: an Apache MINA SSHD server that accepts only the authorized public keys, presents
 * a freshly generated host key, and runs the real {@code git upload-pack} / {@code git receive-pack} on the bare
 * repositories under a root directory. Clone URL: {@code ssh://git@127.0.0.1:PORT/NAME}.
 */
public final class GitSshServer implements AutoCloseable {

    private static final Set<String> GIT_SERVICES = Set.of("git-upload-pack", "git-receive-pack");

    private final SshServer server;
    private final Path projectRoot;
    private final KeyPair hostKey;
    private final List<PublicKey> authorizedKeys;
    private final AtomicInteger pushes = new AtomicInteger();
    private final List<String> users = new CopyOnWriteArrayList<>();

    private GitSshServer(Path projectRoot, List<PublicKey> authorizedKeys) throws IOException {
        this.projectRoot = projectRoot.toAbsolutePath();
        this.authorizedKeys = new CopyOnWriteArrayList<>(authorizedKeys);
        this.hostKey = generateHostKey();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> {
            boolean authorized = this.authorizedKeys.stream().anyMatch(known -> KeyUtils.compareKeys(known, key));
            if (authorized) {
                users.add(user);
            }
            return authorized;
        });
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory(new GitCommands());
        server.start();
    }

    /** Serves the bare repositories under {@code projectRoot} to clients holding one of {@code authorizedKeys}. */
    public static GitSshServer start(Path projectRoot, PublicKey... authorizedKeys) throws IOException {
        return new GitSshServer(projectRoot, List.of(authorizedKeys));
    }

    public String url(String repositoryName) {
        return "ssh://git@127.0.0.1:" + server.getPort() + "/" + repositoryName;
    }

    /** The URL without a user name: the client must bring its own. */
    public String urlWithoutUser(String repositoryName) {
        return "ssh://127.0.0.1:" + server.getPort() + "/" + repositoryName;
    }

    /** The user names that clients authenticated as, in order (one per public-key check that passed). */
    public List<String> authenticatedUsers() {
        return List.copyOf(users);
    }

    public int port() {
        return server.getPort();
    }

    /** The known_hosts line that trusts this server, as {@code ssh-keyscan} would print it. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** How many {@code git-receive-pack} commands ran. */
    public int pushes() {
        return pushes.get();
    }

    private static KeyPair generateHostKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an SSH host key", e);
        }
    }

    private final class GitCommands implements CommandFactory {
        @Override
        public Command createCommand(ChannelSession channel, String command) {
            List<String> words = CommandFactory.split(command);
            if (words.size() != 2 || !GIT_SERVICES.contains(words.get(0))) {
                throw new IllegalArgumentException("Only git-upload-pack and git-receive-pack are served, not: " + command);
            }
            String relative = words.get(1).replaceFirst("^/+", "");
            Path repository = projectRoot.resolve(relative).normalize();
            if (!repository.startsWith(projectRoot)) {
                throw new IllegalArgumentException("Repository outside the served root: " + words.get(1));
            }
            if (words.get(0).equals("git-receive-pack")) {
                pushes.incrementAndGet();
            }
            return new GitProcess(words.get(0).substring("git-".length()), repository);
        }
    }

    /** Runs one git service as a child process and pipes the SSH channel through it. */
    private static final class GitProcess implements Command {
        private final String service;
        private final Path repository;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Process process;

        GitProcess(String service, Path repository) {
            this.service = service;
            this.repository = repository;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            ProcessBuilder builder = new ProcessBuilder("git", service, repository.toString());
            GitCli.isolate(builder.environment());
            String protocol = env.getEnv().get("GIT_PROTOCOL");
            if (protocol != null) {
                builder.environment().put("GIT_PROTOCOL", protocol);
            }
            process = builder.start();
            Thread input = StreamPump.start(in, process.getOutputStream(), true, "ssh-git-stdin");
            Thread output = StreamPump.start(process.getInputStream(), out, false, "ssh-git-stdout");
            Thread errors = StreamPump.start(process.getErrorStream(), err, false, "ssh-git-stderr");
            Thread waiter = new Thread(() -> {
                int code = 1;
                try {
                    code = process.waitFor();
                    output.join(TimeUnit.MINUTES.toMillis(1));
                    errors.join(TimeUnit.MINUTES.toMillis(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    input.interrupt();
                    exit.onExit(code);
                }
            }, "ssh-git-exit");
            waiter.setDaemon(true);
            waiter.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (process != null) {
                process.destroy();
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
