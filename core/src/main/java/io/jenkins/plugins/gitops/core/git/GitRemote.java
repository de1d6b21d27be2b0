package io.jenkins.plugins.gitops.core.git;

import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jgit.transport.URIish;

/**
 * The config repository's server: its URL and how to authenticate. The URL must not carry a password:
 * clone would store it in {@code .git/config}; pass it as {@link GitCredentials} instead.
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
        URIish parsed = parse(url);
        if (parsed.getPass() != null) {
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT,
                    "The repository URL " + redact(parsed) + " contains a password; remove it from the URL and"
                            + " pass it as a credential (a password file or environment variable) instead.");
        }
    }

    public GitRemote(String url, GitCredentials credentials, HostKeyPolicy hostKeys) {
        this(url, credentials, hostKeys, DEFAULT_TIMEOUT);
    }

    /** The URL as it may be printed. */
    public String displayUrl() {
        return redact(parse(url));
    }

    private static String redact(URIish uri) {
        return uri.getPass() == null ? uri.toString() : uri.setPass(null).toString();
    }

    private static URIish parse(String url) {
        try {
            return new URIish(url);
        } catch (URISyntaxException e) {
            // URISyntaxException repeats the input, which could hold a password: keep only the reason.
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT, "Not a git repository URL: " + e.getReason());
        }
    }
}
