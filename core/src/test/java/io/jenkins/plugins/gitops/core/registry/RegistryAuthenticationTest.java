package io.jenkins.plugins.gitops.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.testing.registry.LocalRegistry;
import io.jenkins.plugins.gitops.core.testing.registry.OciImage;
import io.jenkins.plugins.gitops.core.testing.registry.TokenServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic (htpasswd), Bearer (a token service of the tests' own) and TLS against the real distribution registry. */
class RegistryAuthenticationTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "registry-secret-4711";
    private static final OciImage IMAGE = OciImage.single(Instant.parse("2024-01-01T00:00:00Z"), "linux/amd64");

    @TempDir
    Path dir;
    LocalRegistry registry;
    TokenServer tokens;

    @BeforeEach
    void installed() {
        LocalRegistry.assumeInstalled();
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    private Repository repository() {
        return Repository.of(ImageReference.parse(registry.image("team/app")));
    }

    private RegistryClient client(RegistryCredentials credentials) {
        return RegistryClient.builder().insecureRegistries(List.of(registry.address()))
                .credentials(r -> r.equals(registry.address()) ? Optional.ofNullable(credentials) : Optional.empty()).build();
    }

    private void startBasic() throws Exception {
        registry = LocalRegistry.builder(dir.resolve("registry")).basicAuth(USER, PASSWORD).start();
        registry.push(IMAGE, "team/app", "1.0.0");
    }

    private void startToken() throws Exception {
        tokens = new TokenServer();
        registry = LocalRegistry.builder(dir.resolve("registry")).tokenAuth(tokens, USER, PASSWORD).start();
        registry.push(IMAGE, "team/app", "1.0.0");
    }

    @Test
    void basicAuthenticationSendsTheCredentials() throws Exception {
        startBasic();

        assertThat(client(new RegistryCredentials(USER, PASSWORD)).tags(repository())).containsExactly("1.0.0");
    }

    @Test
    void basicWithoutCredentialsSaysToGiveThem() throws Exception {
        startBasic();

        assertThatThrownBy(() -> client(null).tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAUTHORIZED))
                .hasMessageContaining("registry " + registry.address() + " needs credentials to read the tag list of "
                        + registry.address() + "/team/app (401")
                .hasMessageContaining("give registry credentials for " + registry.address());
    }

    @Test
    void basicWithWrongCredentialsSaysToCheckThemWithoutShowingThePassword() throws Exception {
        startBasic();

        assertThatThrownBy(() -> client(new RegistryCredentials(USER, "wrong-password-123")).tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAUTHORIZED))
                .hasMessageContaining("refused the credentials")
                .hasMessageNotContaining("wrong-password-123");
    }

    @Test
    void bearerFlowGetsOnePullTokenAndReusesItUntilItExpires() throws Exception {
        startToken();
        int pushed = tokens.requests().size();
        RegistryClient client = client(new RegistryCredentials(USER, PASSWORD));

        assertThat(client.tags(repository())).containsExactly("1.0.0");
        assertThat(client.digest(repository(), "1.0.0")).isEqualTo(IMAGE.digest());
        assertThat(client.manifest(repository(), "1.0.0")).isInstanceOf(Manifest.Image.class);

        // PING twice: an insecure registry is tried with HTTPS first, then plain HTTP
        assertThat(client.requestCounts()).containsEntry(RequestKind.TOKEN, 1L).containsEntry(RequestKind.PING, 2L);
        assertThat(tokens.requests().subList(pushed, tokens.requests().size())).singleElement().asString()
                .contains("service=" + TokenServer.SERVICE, "scope=repository:team/app:pull");
    }

    @Test
    void anExpiredTokenIsReplaced() throws Exception {
        startToken();
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        RegistryClient client = RegistryClient.builder().insecureRegistries(List.of(registry.address())).clock(clock)
                .credentials(r -> Optional.of(new RegistryCredentials(USER, PASSWORD))).build();

        client.tags(repository());
        now.set(now.get().plus(Duration.ofMinutes(10))); // past the token's 300 s
        client.digest(repository(), "1.0.0");

        assertThat(client.requestCounts()).containsEntry(RequestKind.TOKEN, 2L);
    }

    @Test
    void anonymousBearerTokensAndTheAccessTokenFieldAreAccepted() throws Exception {
        startToken();
        tokens.anonymousPull(true).accessTokenField(true);
        int pushed = tokens.requests().size();

        assertThat(client(null).tags(repository())).containsExactly("1.0.0");
        assertThat(tokens.requests()).hasSize(pushed + 1);
        assertThat(tokens.answered()).as("an anonymous token, in the access_token field").last()
                .isEqualTo("anonymous access_token pull");
    }

    @Test
    void aTokenServiceRefusingTheCredentialsIsUnauthorized() throws Exception {
        startToken();

        assertThatThrownBy(() -> client(new RegistryCredentials(USER, "not-the-password")).tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAUTHORIZED))
                .hasMessageContaining("refused the credentials for a token for repository:team/app:pull")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void aTokenWithoutTheScopeIsForbiddenAfterAskingOnceMore() throws Exception {
        startToken();
        tokens.grantNothing(true);
        RegistryClient client = client(new RegistryCredentials(USER, PASSWORD));

        assertThatThrownBy(() -> client.tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.FORBIDDEN))
                .hasMessageContaining("insufficient_scope")
                .hasMessageContaining("grant them pull access to team/app");
        assertThat(client.requestCounts()).containsEntry(RequestKind.TOKEN, 2L).containsEntry(RequestKind.TAGS, 2L);
        assertThat(tokens.answered()).as("tokens without access, as set up").last().isEqualTo(USER + " token none");
    }

    @Test
    void anUntrustedCertificateIsATlsErrorNamingTheRemedy() throws Exception {
        registry = LocalRegistry.builder(dir.resolve("registry")).tls().start();
        RegistryClient strict = RegistryClient.builder().build();

        assertThatThrownBy(() -> strict.tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.TLS))
                .hasMessageContaining("TLS with registry " + registry.address())
                .hasMessageContaining("add that CA to the Java trust store");
    }

    @Test
    void anInsecureRegistryIsReadOverTlsWithoutVerification() throws Exception {
        registry = LocalRegistry.builder(dir.resolve("registry")).tls().start();
        registry.push(IMAGE, "team/app", "1.0.0");

        assertThat(client(null).tags(repository())).containsExactly("1.0.0");
    }
}
