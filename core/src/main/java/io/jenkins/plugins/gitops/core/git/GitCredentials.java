package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.util.Objects;
import java.util.Optional;

/**
 * How to authenticate to the config repository's server. Secrets stay in memory: they are handed to JGit
 * per operation and never written to {@code .git/config}, a URL, or an exception message
 * (each kind's {@code toString()} redacts them). Each secret is registered with {@link Redaction} when the value is made, so
 * that no text carrying it (a server's echo included) leaves the process.
 */
public sealed interface GitCredentials {

    /** Anonymous access, or whatever the URL's transport allows without credentials. */
    record None() implements GitCredentials {}

    /** HTTPS basic authentication: a user name and a password or access token. */
    record UsernamePassword(String username, String password) implements GitCredentials {
        public UsernamePassword {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Redaction.registerBasic(this, username, password);
        }

        @Override
        public String toString() {
            return "UsernamePassword[username=" + username + ", password=****]";
        }
    }

    /**
     * An SSH private key in OpenSSH or PEM text form, with its passphrase when it is encrypted. The key is
     * parsed in memory; it never touches the disk.
     *
     * @param username the SSH user name to log in as when the repository URL names none (as {@code git@} in
     *     {@code git@host:path}); a user name in the URL wins. Without either, the local user name is used, as
     *     {@code ssh} does.
     */
    record SshPrivateKey(String privateKey, Optional<String> passphrase, Optional<String> username)
            implements GitCredentials {
        public SshPrivateKey {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(passphrase, "passphrase");
            Objects.requireNonNull(username, "username");
            username = username.filter(name -> !name.isBlank());
            Redaction.register(this, passphrase.orElse(null));
            if (username.isPresent() && username.get().chars().anyMatch(c -> c == '@' || Character.isWhitespace(c))) {
                throw new IllegalArgumentException("Invalid SSH user name '" + username.get()
                        + "': give the name alone, without '@' or spaces.");
            }
        }

        public SshPrivateKey(String privateKey, Optional<String> passphrase) {
            this(privateKey, passphrase, Optional.empty());
        }

        @Override
        public String toString() {
            return "SshPrivateKey[privateKey=****, passphrase=" + (passphrase.isPresent() ? "****" : "none")
                    + ", username=" + username.orElse("(from the URL)") + "]";
        }
    }

    static GitCredentials none() {
        return new None();
    }

    static GitCredentials usernamePassword(String username, String password) {
        return new UsernamePassword(username, password);
    }

    static GitCredentials sshKey(String privateKey, String passphraseOrNull) {
        return new SshPrivateKey(privateKey, Optional.ofNullable(passphraseOrNull));
    }

    /** An SSH key that logs in as {@code usernameOrNull} when the repository URL names no user. */
    static GitCredentials sshKey(String privateKey, String passphraseOrNull, String usernameOrNull) {
        return new SshPrivateKey(privateKey, Optional.ofNullable(passphraseOrNull), Optional.ofNullable(usernameOrNull));
    }
}
