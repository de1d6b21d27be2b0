package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.git.GitProgress;

/** Progress of the git engine as messages of the running command on stderr. */
record StderrProgress(Console console) implements GitProgress {

    @Override
    public void info(String message) {
        console.message(message);
    }

    @Override
    public void warn(String message) {
        console.warning(message);
    }
}
