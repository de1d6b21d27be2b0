package io.jenkins.plugins.gitops.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ProxyConfiguration;
import hudson.Util;
import hudson.init.Terminator;
import hudson.security.ACL;
import hudson.util.FormValidation;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdClient;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdCredentials;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Builds core's {@link ArgoCdClient} for a configured server: the HTTP client from Jenkins' proxy settings
 * ({@link ProxyConfiguration#newHttpClientBuilder()}), the server's TLS options, and its credentials.
 */
public final class ArgoCdConnections {

    /** How long the "Test connection" button waits for Argo CD. */
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);

    private ArgoCdConnections() {}

    /** What makes two HTTP clients differ: the Jenkins proxy they were built for, and their TLS trust. */
    private record ClientKey(
            @CheckForNull ProxyConfiguration proxy, @CheckForNull String caCertificate, boolean skipTlsVerify) {}

    /**
     * The HTTP clients of every wait, one per distinct TLS setting (every server without TLS options shares one): a
     * JDK client owns a selector thread, so a client per wait would be a thread per wait. Built again when the
     * Jenkins proxy configuration is replaced.
     */
    private static final Map<ClientKey, HttpClient> SHARED = new ConcurrentHashMap<>();

    /**
     * The shared HTTP client for these TLS options, through the Jenkins proxy: what waits and other build-time calls
     * use.
     */
    @NonNull
    public static HttpClient sharedHttpClient(@CheckForNull String caCertificate, boolean skipTlsVerify) {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        ProxyConfiguration proxy = jenkins == null ? null : jenkins.getProxy();
        ClientKey key = new ClientKey(proxy, Util.fixEmptyAndTrim(caCertificate), skipTlsVerify);
        SHARED.keySet().removeIf(k -> k.proxy() != proxy);
        return SHARED.computeIfAbsent(key, k -> httpClient(k.caCertificate(), k.skipTlsVerify()));
    }

    /** Forgets the shared clients (Jenkins shuts down), so that their selector threads end with them. */
    @Terminator
    public static void forgetSharedClients() {
        SHARED.clear();
    }

    /**
     * A new HTTP client that goes through the Jenkins proxy (when configured) and trusts what the server says to
     * trust; for a one-off call such as "Test connection".
     */
    @NonNull
    public static HttpClient httpClient(@CheckForNull String caCertificate, boolean skipTlsVerify) {
        HttpClient.Builder builder = ProxyConfiguration.newHttpClientBuilder();
        SSLContext tls = tls(caCertificate, skipTlsVerify);
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /** Core's credential value for a Jenkins secret text (API token) or username/password (local user). */
    @NonNull
    public static ArgoCdCredentials toCore(@NonNull StandardCredentials credentials) {
        if (credentials instanceof StringCredentials token) {
            return new ArgoCdCredentials.Token(token.getSecret().getPlainText());
        }
        if (credentials instanceof StandardUsernamePasswordCredentials login) {
            return new ArgoCdCredentials.Login(login.getUsername(), login.getPassword().getPlainText());
        }
        throw new IllegalArgumentException(Messages.ArgoCdConnections_wrongType(credentials.getId()));
    }

    /** A client for {@code server} during a build, its credentials resolved through {@code credentials}. */
    @NonNull
    public static ArgoCdClient client(@NonNull ArgoCdServer server, @NonNull BuildCredentials credentials)
            throws IOException {
        if (server.getCredentialsId() == null) {
            throw new IOException(Messages.ArgoCdConnections_noCredentials(server.getName()));
        }
        StandardCredentials found = credentials.argoCdServerCredential(server.getCredentialsId(), server.getUrl());
        return new ArgoCdClient(
                URI.create(server.getUrl()),
                toCore(found),
                sharedHttpClient(server.getCaCertificate(), server.isSkipTlsVerify()));
    }

    /**
     * Logs in and asks Argo CD who the credentials are ({@code GET /api/v1/session/userinfo}), for the global
     * configuration's "Test connection" button. The caller has checked {@link Jenkins#ADMINISTER}.
     */
    @NonNull
    public static FormValidation test(@NonNull ArgoCdServer server) {
        if (server.getCredentialsId() == null) {
            return FormValidation.error(Messages.ArgoCdConnections_noCredentials(server.getName()));
        }
        StandardCredentials found = CredentialsProvider.findCredentialByIdInItemGroup(
                server.getCredentialsId(), StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2,
                URIRequirementBuilder.fromUri(server.getUrl()).build());
        if (found == null) {
            return FormValidation.error(Messages.ArgoCdConnections_credentialsNotFound(server.getCredentialsId()));
        }
        try {
            ArgoCdClient client = new ArgoCdClient(
                    URI.create(server.getUrl()),
                    toCore(found),
                    httpClient(server.getCaCertificate(), server.isSkipTlsVerify()),
                    TEST_TIMEOUT);
            ArgoCdClient.UserInfo who = client.userInfo().get(TEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!who.loggedIn()) {
                return FormValidation.warning(Messages.ArgoCdConnections_anonymous());
            }
            return FormValidation.ok(Messages.ArgoCdConnections_connected(who.username()));
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null
                    ? ce.getCause()
                    : e.getCause();
            // Core's messages never contain credentials; other causes are shown by class and message only.
            return FormValidation.error(cause instanceof ArgoCdException ? cause.getMessage() : String.valueOf(cause));
        } catch (TimeoutException e) {
            return FormValidation.error(Messages.ArgoCdConnections_timeout(server.getUrl(), TEST_TIMEOUT.toSeconds()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FormValidation.error(Messages.ArgoCdConnections_timeout(server.getUrl(), TEST_TIMEOUT.toSeconds()));
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @CheckForNull
    private static SSLContext tls(@CheckForNull String caCertificate, boolean skipTlsVerify) {
        if (skipTlsVerify) {
            return ArgoCdTls.insecure();
        }
        if (caCertificate == null || caCertificate.isBlank()) {
            return null;
        }
        return ArgoCdTls.trusting(caCertificate, Messages.ArgoCdConnections_caCertificate());
    }
}
