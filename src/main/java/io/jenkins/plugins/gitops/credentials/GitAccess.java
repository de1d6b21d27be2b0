package io.jenkins.plugins.gitops.credentials;

import io.jenkins.plugins.gitops.core.git.GitCredentials;
import io.jenkins.plugins.gitops.core.git.GitRemote;
import io.jenkins.plugins.gitops.core.git.HostKeyPolicy;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jenkinsci.plugins.gitclient.verifier.SshHostKeyVerificationStrategy;

/**
 * Everything the agent needs to reach the config repository, resolved on the controller for one build and sent
 * with the workspace callable. It lives only as long as the step: never stored in the build or the program state.
 * Core's {@link GitRemote} is built from it on the agent, where the known_hosts file is read.
 *
 * @param url repository URL without a password
 * @param kind how to authenticate
 * @param username user name (HTTPS; for SSH the login used when the URL names no user) or empty
 * @param secret password, token or private key; empty for {@link Kind#NONE}
 * @param passphrase the private key's passphrase; empty when the key is not encrypted
 * @param hostKeys how to verify an SSH server, following git-client's global "Git Host Key Verification"
 * @param approvedHostKeys known_hosts lines for {@link HostKeyMode#MANUAL}
 */
public record GitAccess(
        String url,
        Kind kind,
        String username,
        String secret,
        String passphrase,
        HostKeyMode hostKeys,
        String approvedHostKeys)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How the agent authenticates. */
    public enum Kind {
        NONE,
        USERNAME_PASSWORD,
        SSH_PRIVATE_KEY
    }

    /** The host key verification strategies of git-client's global configuration. */
    public enum HostKeyMode {
        /** The agent's known_hosts file only. */
        KNOWN_HOSTS_FILE,
        /** The agent's known_hosts file; a host not listed there is accepted on first use and recorded in it. */
        ACCEPT_FIRST,
        /** The keys an administrator pasted into the global configuration. */
        MANUAL,
        /** No verification. */
        OFF
    }

    public GitAccess {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hostKeys, "hostKeys");
        username = Objects.requireNonNullElse(username, "");
        secret = Objects.requireNonNullElse(secret, "");
        passphrase = Objects.requireNonNullElse(passphrase, "");
        approvedHostKeys = Objects.requireNonNullElse(approvedHostKeys, "");
    }

    /** Core's view of this access, built where the clone runs. */
    public GitRemote toRemote() throws IOException {
        GitCredentials credentials = switch (kind) {
            case NONE -> GitCredentials.none();
            case USERNAME_PASSWORD -> GitCredentials.usernamePassword(username, secret);
            case SSH_PRIVATE_KEY -> GitCredentials.sshKey(
                    secret, passphrase.isEmpty() ? null : passphrase, username.isEmpty() ? null : username);
        };
        HostKeyPolicy policy = switch (hostKeys) {
            case KNOWN_HOSTS_FILE -> HostKeyPolicy.knownHosts(agentKnownHosts());
            // Recorded in the file git-client's own "accept first connection" verifier records in.
            case ACCEPT_FIRST -> new HostKeyPolicy.AcceptNewRecorded(
                    SshHostKeyVerificationStrategy.JGIT_KNOWN_HOSTS_FILE.toPath());
            case MANUAL -> HostKeyPolicy.knownHosts(approvedHostKeys);
            case OFF -> HostKeyPolicy.off();
        };
        return new GitRemote(url, credentials, policy);
    }

    /** The same file git-client's JGit verifier reads on this machine; absent means no host is known yet. */
    private static String agentKnownHosts() throws IOException {
        Path file = SshHostKeyVerificationStrategy.JGIT_KNOWN_HOSTS_FILE.toPath();
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    @Override
    public String toString() {
        return "GitAccess[url=" + url + ", kind=" + kind + ", username=" + username + ", hostKeys=" + hostKeys + "]";
    }
}
