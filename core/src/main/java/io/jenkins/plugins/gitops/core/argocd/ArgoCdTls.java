package io.jenkins.plugins.gitops.core.argocd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS contexts for an {@link java.net.http.HttpClient} that talks to an Argo CD server. */
public final class ArgoCdTls {

    private ArgoCdTls() {}

    /**
     * Trusts only the certificates in a PEM file (the server's CA, or its self-signed certificate).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
     */
    public static SSLContext trusting(Path pemFile) {
        String pemText;
        try {
            pemText = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read CA file " + pemFile + ": " + e.getMessage(), e);
        }
        return trusting(pemText, "CA file " + pemFile);
    }

    /**
     * Trusts only the certificates in PEM text (the server's CA, or its self-signed certificate), for callers that
     * hold the certificate in memory, such as a configuration form.
     *
     * @param sourceName where the text came from, for error messages (e.g. {@code "the CA certificate of server prod"})
     * @throws IllegalArgumentException naming {@code sourceName} when the text holds no certificate
     */
    public static SSLContext trusting(String pemText, String sourceName) {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pemText.trim().getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + sourceName);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), new SecureRandom());
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(sourceName + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts any certificate and any host name: the traffic is encrypted but not authenticated. Only for test
     * servers; the token can be stolen by anyone able to intercept the connection.
     */
    public static SSLContext insecure() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingEverything()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /**
     * Trusts every chain and, being an extended trust manager, also skips the host name check JSSE would otherwise
     * run.
     */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
