package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.git.GitProgress;
import java.io.PrintWriter;

/** Progress of the git engine as {@code gitops: ...} lines on stderr. */
final class StderrProgress implements GitProgress {

    private final PrintWriter err;

    StderrProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void info(String message) {
        err.println("gitops: " + message);
        err.flush();
    }

    @Override
    public void warn(String message) {
        err.println("gitops: warning: " + message);
        err.flush();
    }
}
