package io.jenkins.plugins.gitops.core.testing.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * A client key pair made by the real {@code ssh-keygen} (OpenSSH format, as users have them), optionally
 * encrypted with a passphrase.
 *
 * @param privateKey the private key file's text
 * @param publicKey  the public key, for the server's authorized keys
 * @param file       where the private key file lies (for tools that need a path, e.g. commit signing)
 */
public record SshClientKey(String privateKey, PublicKey publicKey, String publicKeyLine, Path file) {

    /** Generates an ECDSA P-256 key in {@code directory} under {@code name}; {@code passphrase} may be empty. */
    public static SshClientKey generate(Path directory, String name, String passphrase) {
        Path file = directory.resolve(name);
        try {
            Process keygen = new ProcessBuilder(
                            "ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", passphrase, "-C", name, "-f", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(keygen.getInputStream().readAllBytes());
            if (keygen.waitFor() != 0) {
                throw new IllegalStateException("ssh-keygen failed (install openssh-client): " + output);
            }
            String publicLine = Files.readString(Path.of(file + ".pub")).strip();
            PublicKey publicKey = AuthorizedKeyEntry.parseAuthorizedKeyEntry(publicLine)
                    .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
            return new SshClientKey(Files.readString(file), publicKey, publicLine, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run ssh-keygen (install openssh-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("ssh-keygen wrote a public key that cannot be parsed", e);
        }
    }
}
