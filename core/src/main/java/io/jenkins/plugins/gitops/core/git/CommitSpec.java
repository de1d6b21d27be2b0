package io.jenkins.plugins.gitops.core.git;

import java.util.Objects;
import java.util.Optional;

/** One commit to create: message, who, and how to sign it. */
public record CommitSpec(String message, CommitIdentity author, CommitIdentity committer, Optional<CommitSigning> signing) {

    public CommitSpec {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(committer, "committer");
        Objects.requireNonNull(signing, "signing");
        if (message.isBlank()) {
            throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, "The commit message is empty.");
        }
    }
}
