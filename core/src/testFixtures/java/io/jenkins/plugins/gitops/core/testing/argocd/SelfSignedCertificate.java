package io.jenkins.plugins.gitops.core.testing.argocd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost} (subject alternative names), made
 * once per JVM, for the client's custom-CA and insecure-TLS tests. The JDK has no public API to issue a
 * certificate, and running {@code keytool} costs a JVM start, so the few DER structures of an X.509 v3
 * certificate are written here and signed with an EC P-256 key.
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
            try {
                loopback = generate();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the fake Argo CD's TLS certificate", e);
            }
        }
        return loopback;
    }

    SSLContext sslContext() {
        return sslContext;
    }

    String pem() {
        return pem;
    }

    private static SelfSignedCertificate generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();

        byte[] ecdsaWithSha256 = sequence(oid(1, 2, 840, 10045, 4, 3, 2));
        byte[] name = sequence(set(sequence(oid(2, 5, 4, 3), tlv(0x0C, "127.0.0.1".getBytes(StandardCharsets.UTF_8)))));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        byte[] validity = sequence(utcTime(now.minusDays(1)), utcTime(now.plusDays(30)));
        byte[] subjectAltNames = sequence(tlv(0x87, new byte[] {127, 0, 0, 1}),
                tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)));
        byte[] extensions = tlv(0xA3, sequence(sequence(oid(2, 5, 29, 17), tlv(0x04, subjectAltNames))));
        byte[] tbs = sequence(tlv(0xA0, integer(BigInteger.TWO)), integer(new BigInteger(64, new SecureRandom())),
                ecdsaWithSha256, name, validity, name, keys.getPublic().getEncoded(), extensions);

        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bitString = new byte[signature.length + 1]; // leading byte: no unused bits
        System.arraycopy(signature, 0, bitString, 1, signature.length);
        byte[] der = sequence(tbs, ecdsaWithSha256, tlv(0x03, bitString));

        Certificate certificate = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create an in-memory key store", e);
        }
        store.setKeyEntry("fake-argocd", keys.getPrivate(), PASSWORD, new Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
        return new SelfSignedCertificate(context, pem);
    }

    // DER: tag, length, content

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] bytes = BigInteger.valueOf(length).toByteArray();
            int skip = bytes[0] == 0 ? 1 : 0;
            out.write(0x80 | (bytes.length - skip));
            out.write(bytes, skip, bytes.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] utcTime(ZonedDateTime time) {
        return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(time).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int shift = 28;
            while (shift > 0 && (arc >>> shift) == 0) {
                shift -= 7;
            }
            for (; shift > 0; shift -= 7) {
                out.write(0x80 | ((arc >>> shift) & 0x7F));
            }
            out.write(arc & 0x7F);
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
