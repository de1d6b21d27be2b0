package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.transport.URIish;

/**
 * The config repository's server: its URL and how to authenticate. The URL must not carry a secret: clone would store
 * it in {@code .git/config}; pass it as {@link GitCredentials} instead. So a password in the URL is refused in any
 * spelling {@link Redaction} recognises (also scp-like {@code user:password@host:path}), and so is any user info in a
 * URL whose scheme is not SSH (an HTTPS user name is often a token); an SSH login name ({@code ssh://git@host/x},
 * {@code git@host:x}) is fine.
 *
 * @param url          HTTPS, HTTP, SSH ({@code ssh://} or scp-like {@code git@host:path}) or a local path
 * @param credentials  how to authenticate
 * @param hostKeys     how to verify an SSH server's host key (ignored for other transports)
 * @param timeout      how long a network operation may stall before it fails
 */
public record GitRemote(String url, GitCredentials credentials, HostKeyPolicy hostKeys, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public GitRemote {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(hostKeys, "hostKeys");
        Objects.requireNonNull(timeout, "timeout");
        Optional<String> userInfo = Redaction.userInfo(url);
        if (userInfo.isPresent() && (userInfo.get().contains(":") || !isSsh(url))) {
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT,
                    "The repository URL " + Redaction.apply(url.strip()) + " contains "
                            + (userInfo.get().contains(":") ? "a password" : "a user name or token")
                            + "; remove it from the URL and pass it as a credential (a user name option, a password"
                            + " file or environment variable) instead.");
        }
        parse(url);
    }

    /** {@code ssh://}, {@code git+ssh://}, {@code ssh+git://}, or the scp-like {@code [user@]host:path}. */
    private static boolean isSsh(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        int scheme = lower.indexOf("://");
        return scheme < 0 ? !lower.contains("%3a%2f%2f") && !lower.contains(":\\\\")
                : lower.substring(0, scheme).matches("ssh|git\\+ssh|ssh\\+git");
    }

    public GitRemote(String url, GitCredentials credentials, HostKeyPolicy hostKeys) {
        this(url, credentials, hostKeys, DEFAULT_TIMEOUT);
    }

    /** The URL as it may be printed. */
    public String displayUrl() {
        return Redaction.apply(url);
    }

    private static URIish parse(String url) {
        try {
            return new URIish(url);
        } catch (URISyntaxException e) {
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT, "Not a git repository URL: " + e.getReason());
        }
    }
}
