package io.jenkins.plugins.gitops.core.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCdExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ArgoCdTlsTest {

    @RegisterExtension
    final FakeArgoCdExtension argo = new FakeArgoCdExtension(FakeArgoCd.Builder::https);

    @TempDir
    Path dir;

    private ArgoCdClient client(HttpClient http) {
        FakeArgoCd fake = argo.fake();
        return new ArgoCdClient(URI.create(fake.url()), new ArgoCdCredentials.Token(fake.issueToken("jenkins")), http);
    }

    @Test
    void trustsTheServerWhoseCertificateIsGivenAsPemText() {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(ArgoCdTls.trusting(argo.fake().certificatePem(), "the CA certificate of server prod"))
                .build();

        assertThat(client(http).userInfo().join().loggedIn()).isTrue();
    }

    @Test
    void trustsTheServerWhoseCertificateIsInAPemFile() throws IOException {
        Path pem = Files.writeString(dir.resolve("ca.pem"), argo.fake().certificatePem());

        HttpClient http = HttpClient.newBuilder().sslContext(ArgoCdTls.trusting(pem)).build();

        assertThat(client(http).userInfo().join().loggedIn()).isTrue();
    }

    @Test
    void withoutTheCertificateTheHandshakeFails() {
        assertThatThrownBy(() -> client(HttpClient.newHttpClient()).userInfo().join())
                .isInstanceOf(CompletionException.class)
                .hasStackTraceContaining(SSLHandshakeException.class.getSimpleName());
    }

    @Test
    void textWithoutACertificateIsRefusedNamingItsSource() {
        assertThatThrownBy(() -> ArgoCdTls.trusting("not a certificate", "the CA certificate of server prod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the CA certificate of server prod");
        assertThatThrownBy(() -> ArgoCdTls.trusting("", "the CA certificate of server prod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the CA certificate of server prod");
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> ArgoCdTls.trusting(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read CA file " + missing);
    }
}
