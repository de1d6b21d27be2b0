package io.jenkins.plugins.gitops.core.testing.argocd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code 127.0.0.1}/{@code localhost}, made once per JVM with the JDK's
 * {@code keytool} (the JDK has no public API to issue certificates), for the client's custom-CA and
 * insecure-TLS tests.
 */
final class SelfSignedCertificate {

    private static final char[] PASSWORD = "fake-argocd".toCharArray();
    private static SelfSignedCertificate loopback;

    private final SSLContext sslContext;
    private final String pem;

    private SelfSignedCertificate(SSLContext sslContext, String pem) {
        this.sslContext = sslContext;
        this.pem = pem;
    }

    static synchronized SelfSignedCertificate forLoopback() {
        if (loopback == null) {
            loopback = generate();
        }
        return loopback;
    }

    SSLContext sslContext() {
        return sslContext;
    }

    String pem() {
        return pem;
    }

    private static SelfSignedCertificate generate() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fake-argocd-tls");
            Path store = dir.resolve("server.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "fake-argocd",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "7", "-dname", "CN=127.0.0.1",
                    "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make the fake Argo CD's certificate: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, PASSWORD);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            Certificate certificate = keyStore.getCertificate("fake-argocd");
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new SelfSignedCertificate(context, pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the fake Argo CD's certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the fake Argo CD's certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the fake Argo CD's certificate", e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temp directory left behind is harmless
                }
            }
        }
    }
}
