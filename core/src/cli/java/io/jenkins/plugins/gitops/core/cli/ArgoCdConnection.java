package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.argocd.ArgoCdCredentials;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdTls;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How every command reaches the Argo CD API server: the server's address, a token, the TLS trust and the threads.
 * One place, so that {@code sync}, {@code update --app}, {@code set-image --app} and {@code rollback} read the same
 * options and variables the same way and refuse the same mistakes with the same words.
 */
final class ArgoCdConnection {

    static final String TOKEN_VARIABLE = "GITOPS_ARGOCD_TOKEN";
    /** The argocd CLI's own variables, read after the tool's: {@code host[:port]} and a token. */
    static final String ARGOCD_SERVER_VARIABLE = "ARGOCD_SERVER";
    static final String ARGOCD_TOKEN_VARIABLE = "ARGOCD_AUTH_TOKEN";

    private ArgoCdConnection() {}

    /**
     * {@code --server}, else {@code $ARGOCD_SERVER}. Either may be a URL or, as the argocd CLI takes it,
     * {@code host[:port]}: HTTPS unless {@code --plaintext}.
     */
    static URI serverUri(String server, boolean plaintext, Environment environment) {
        String option = server != null ? "--server" : "$" + ARGOCD_SERVER_VARIABLE;
        String text = server != null ? server : environment.get(ARGOCD_SERVER_VARIABLE).orElseThrow(() ->
                new IllegalArgumentException("--server: give the Argo CD API server (or set $" + ARGOCD_SERVER_VARIABLE
                        + "), or --kube/--kubeconfig for the Kubernetes API"));
        String address = text.strip();
        boolean hasScheme = address.contains("://");
        if (hasScheme && plaintext) {
            throw new IllegalArgumentException("--plaintext: " + option + " already says its scheme; give host[:port]"
                    + " with --plaintext, or an http:// URL");
        }
        try {
            URI uri = new URI(hasScheme ? address : (plaintext ? "http://" : "https://") + address);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))) {
                throw new IllegalArgumentException(option + ": '" + text + "' is not an http(s):// URL or host[:port]");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(option + ": must not contain credentials; use --token-file or"
                        + " --username with --password-file");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a URL or host[:port]: " + e.getReason());
        }
    }

    /** {@code --token-file}, else {@code --token}, else {@code $GITOPS_ARGOCD_TOKEN}, else {@code $ARGOCD_AUTH_TOKEN}. */
    static ArgoCdCredentials token(String token, Path tokenFile, Environment environment, String alternative) {
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("--token-file: give either --token or --token-file, not both");
        }
        String secret = tokenFile != null ? readSecret(tokenFile, "--token-file")
                : token != null ? token
                : environment.get(TOKEN_VARIABLE).or(() -> environment.get(ARGOCD_TOKEN_VARIABLE)).orElse(null);
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("--token: no Argo CD credentials; give --token-file, --token, $"
                    + TOKEN_VARIABLE + ", $" + ARGOCD_TOKEN_VARIABLE + alternative);
        }
        return new ArgoCdCredentials.Token(secret.strip());
    }

    static String readSecret(Path file, String option) {
        String secret;
        try {
            secret = SecretInput.registered(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": '" + file + "' cannot be read: " + Failure.reason(e));
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(option + ": '" + file + "' is empty");
        }
        return secret;
    }

    static HttpClient.Builder httpClient(boolean insecure, Path caFile) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (insecure && caFile != null) {
            throw new IllegalArgumentException("--insecure: give either --insecure or --ca-file, not both");
        }
        if (insecure) {
            builder.sslContext(ArgoCdTls.insecure());
        } else if (caFile != null) {
            builder.sslContext(ArgoCdTls.trusting(caFile));
        }
        return builder;
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
