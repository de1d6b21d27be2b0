package io.jenkins.plugins.gitops.core.update;

/**
 * An Argo CD Application whose source cannot be edited in git: a chart from a Helm or OCI repository, a
 * {@code targetRevision} that is a tag or a commit, credentials that cannot reach its repository. The message says
 * why and what to give instead; it names the application and its repository, never a secret.
 */
public final class TargetRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TargetRefusedException(String message) {
        super(message);
    }
}
