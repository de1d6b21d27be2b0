package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Sign commits with an SSH key (git's {@code gpg.format=ssh}), as {@code git commit -S} does. The key is read
 * from its file by JGit's SSH signer; an encrypted key needs its passphrase.
 */
public record CommitSigning(Path sshPrivateKeyFile, Optional<String> passphrase) {

    public CommitSigning {
        Objects.requireNonNull(sshPrivateKeyFile, "sshPrivateKeyFile");
        Objects.requireNonNull(passphrase, "passphrase");
        Redaction.register(this, passphrase.orElse(null));
    }

    @Override
    public String toString() {
        return "CommitSigning[key=" + sshPrivateKeyFile + ", passphrase=" + (passphrase.isPresent() ? "****" : "none") + "]";
    }
}
