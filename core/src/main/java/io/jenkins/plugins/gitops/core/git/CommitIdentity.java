package io.jenkins.plugins.gitops.core.git;

import java.util.Objects;

/** A commit author or committer. */
public record CommitIdentity(String name, String email) {

    /** Used when the caller configures nobody. */
    public static final CommitIdentity DEFAULT = new CommitIdentity("gitops-deploy", "gitops-deploy@localhost");

    public CommitIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        if (name.isBlank()) {
            throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, "The commit author name is empty.");
        }
    }
}
