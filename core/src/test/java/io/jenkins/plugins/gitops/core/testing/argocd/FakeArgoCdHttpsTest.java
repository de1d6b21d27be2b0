package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeArgoCdHttpsTest {

    @RegisterExtension
    final FakeArgoCdExtension argo = new FakeArgoCdExtension(FakeArgoCd.Builder::https);

    @Test
    void servesHttpsWithACertificateTheClientCanTrust() throws Exception {
        FakeArgoCd fake = argo.fake();
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("fake", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(fake.certificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);

        RawApi trusting = new RawApi(fake, HttpClient.newBuilder().sslContext(tls).build());

        assertThat(fake.url()).startsWith("https://127.0.0.1:");
        assertThat(trusting.get("/api/v1/session/userinfo", fake.issueToken("jenkins")).statusCode()).isEqualTo(200);
    }

    @Test
    void clientWithoutTheCertificateFailsTheHandshake() {
        FakeArgoCd fake = argo.fake();
        RawApi untrusting = new RawApi(fake);

        assertThatThrownBy(() -> untrusting.get("/api/v1/session/userinfo", null)).isInstanceOf(SSLHandshakeException.class);
    }
}
