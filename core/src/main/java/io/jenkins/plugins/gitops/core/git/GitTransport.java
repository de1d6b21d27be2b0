package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.DurationText;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Hands a {@link GitRemote}'s credentials and host-key policy to JGit for one repository's operations.
 * SSH is isolated from the user's {@code ~/.ssh}: no config file, no default identities, no agent, no
 * known_hosts file; only what the remote says. Close it to release the SSH client.
 */
final class GitTransport implements TransportConfigCallback, AutoCloseable {

    private final GitRemote remote;
    private final GitProgress progress;
    private PolicyServerKeyDatabase hostKeys;
    private SshdSessionFactory sshSessions;

    GitTransport(GitRemote remote, GitProgress progress) {
        this.remote = remote;
        this.progress = GitProgress.redacted(progress);
    }

    @Override
    public synchronized void configure(Transport transport) {
        transport.setTimeout(Math.toIntExact(Math.max(1, remote.timeout().toSeconds())));
        // A thin pack, as git push sends: the new blob and trees as deltas against the objects they replace, which the
        // server has. A one-line image bump in a large tree then uploads a few KB instead of every rewritten tree whole.
        transport.setPushThin(true);
        if (transport instanceof SshTransport ssh) {
            ssh.setSshSessionFactory(sshSessions());
        }
        transport.setCredentialsProvider(credentialsProvider());
    }

    private CredentialsProvider credentialsProvider() {
        if (remote.credentials() instanceof GitCredentials.UsernamePassword basic) {
            return new UsernamePasswordCredentialsProvider(basic.username(), basic.password());
        }
        // No interactive prompt, ever: a request for credentials we do not have fails the operation.
        return new UsernamePasswordCredentialsProvider("", "") {
            @Override
            public boolean isInteractive() {
                return false;
            }
        };
    }

    private SshdSessionFactory sshSessions() {
        if (sshSessions == null) {
            hostKeys = new PolicyServerKeyDatabase(remote.hostKeys(), progress);
            List<KeyPair> keys = sshKeys();
            File nowhere = new File(System.getProperty("java.io.tmpdir"), "gitops-no-ssh-directory");
            sshSessions = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(nowhere)
                    .setSshDirectory(nowhere)
                    .setConfigStoreFactory((home, configFile, localUser) -> defaultUser())
                    .setDefaultKnownHostsFiles(sshDir -> List.of())
                    .setDefaultIdentities(sshDir -> List.of())
                    .setDefaultKeysProvider(sshDir -> keys)
                    .setServerKeyDatabase((home, sshDir) -> hostKeys)
                    .setPreferredAuthentications("publickey")
                    .setConnectorFactory(null)
                    .build(null);
        }
        return sshSessions;
    }

    /**
     * No ssh config file is read; the only setting is the key's user name, which JGit takes when the URL names no
     * user (a user in the URL still wins).
     */
    private SshConfigStore defaultUser() {
        if (!(remote.credentials() instanceof GitCredentials.SshPrivateKey key) || key.username().isEmpty()) {
            return null;
        }
        SshConfigStore.HostConfig config = new SshConfigStore.HostConfig() {
            @Override
            public String getValue(String name) {
                return SshConstants.USER.equalsIgnoreCase(name) ? key.username().get() : null;
            }

            @Override
            public List<String> getValues(String name) {
                return List.of();
            }

            @Override
            public Map<String, String> getOptions() {
                return Map.of(SshConstants.USER, key.username().get());
            }

            @Override
            public Map<String, List<String>> getMultiValuedOptions() {
                return Map.of();
            }
        };
        return new SshConfigStore() {
            @Override
            public HostConfig lookup(String hostName, int port, String userName) {
                return config;
            }

            @Override
            public HostConfig lookupDefault(String hostName, int port, String userName) {
                return config;
            }
        };
    }

    private List<KeyPair> sshKeys() {
        if (!(remote.credentials() instanceof GitCredentials.SshPrivateKey key)) {
            return List.of();
        }
        FilePasswordProvider passphrase =
                key.passphrase().map(FilePasswordProvider::of).orElse(FilePasswordProvider.EMPTY);
        List<KeyPair> pairs = new ArrayList<>();
        try {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(
                    null,
                    NamedResource.ofName("the SSH private key"),
                    new ByteArrayInputStream(key.privateKey().getBytes(StandardCharsets.UTF_8)),
                    passphrase);
            if (loaded != null) {
                loaded.forEach(pairs::add);
            }
        } catch (Exception e) {
            // The parser's own message may quote key material; say only what to check.
            throw new GitOperationException(
                    GitOperationException.Kind.AUTHENTICATION,
                    "The SSH private key cannot be read (" + e.getClass().getSimpleName() + "): check that it is an"
                            + " OpenSSH or PEM private key and, when it is encrypted, that the passphrase is right.");
        }
        if (pairs.isEmpty()) {
            throw new GitOperationException(
                    GitOperationException.Kind.AUTHENTICATION,
                    "The SSH private key holds no usable key: give an OpenSSH or PEM private key (not a public key).");
        }
        return pairs;
    }

    /** Turns a JGit failure into a message that says what failed, without any secret. */
    GitOperationException failure(String action, Exception e) {
        if (e instanceof GitOperationException known) {
            return known;
        }
        String detail = messageChain(e);
        if (hostKeys != null && hostKeys.rejection() != null) {
            return new GitOperationException(
                    GitOperationException.Kind.HOST_KEY,
                    "Cannot " + action + " " + remote.displayUrl() + ": " + hostKeys.rejection());
        }
        String lower = detail.toLowerCase(Locale.ROOT);
        GitOperationException.Kind kind;
        String advice;
        InterruptedIOException timedOut = causeOf(e, InterruptedIOException.class);
        if (timedOut != null) {
            kind = GitOperationException.Kind.TRANSPORT;
            detail = stalled(timedOut);
            advice = "";
        } else if (lower.contains("not authorized") || lower.contains("authentication") || lower.contains("auth fail")
                || lower.contains("permission denied") || lower.contains("forbidden") || lower.contains("not permitted")) {
            kind = GitOperationException.Kind.AUTHENTICATION;
            advice = " Check the credentials (user name, password or token, SSH key) and their access rights.";
        } else if (hasCause(e, NoRemoteRepositoryException.class) || lower.contains("not found")) {
            kind = GitOperationException.Kind.BAD_INPUT;
            advice = " Check the repository URL and the branch name.";
        } else {
            kind = GitOperationException.Kind.TRANSPORT;
            advice = "";
        }
        // GitOperationException passes the message and the cause through Redaction: a server may echo a secret.
        return new GitOperationException(
                kind, "Cannot " + action + " " + remote.displayUrl() + ": " + detail + "." + advice, e);
    }

    private static String messageChain(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message.strip());
            }
        }
        return text.length() == 0 ? e.getClass().getSimpleName() : text.toString();
    }

    /**
     * A timeout, said in the seconds the caller set. JGit reports its own read timeout in localised milliseconds ("Read
     * timed out after 50,000 ms"), and while the server processes a pushed pack (and runs its hooks) it waits ten
     * times the timeout before it gives up: say so, rather than a figure the caller never gave.
     */
    private String stalled(InterruptedIOException e) {
        // JGit counts the timeout in whole seconds (see configure), and says how long it waited in milliseconds.
        Duration timeout = Duration.ofSeconds(Math.max(1, remote.timeout().toSeconds()));
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("connect")) {
            return "no connection within " + DurationText.format(timeout) + " (the network timeout)";
        }
        String digits = message.replaceAll("[^0-9]", "");
        Duration waited = digits.isEmpty() || digits.length() > 12
                ? timeout : Duration.ofSeconds((Long.parseLong(digits) + 999) / 1000);
        if (waited.compareTo(timeout) > 0) {
            return "the server sent nothing for " + DurationText.format(waited) + " while it processed the pushed commits"
                    + " (for the result of a push, which the server sends after its hooks ran, git waits ten times the"
                    + " network timeout of " + DurationText.format(timeout) + ")";
        }
        return "the server sent nothing for " + DurationText.format(timeout) + " (the network timeout)";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        return causeOf(e, type) != null;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        if (sshSessions != null) {
            sshSessions.close();
            sshSessions = null;
        }
    }
}
