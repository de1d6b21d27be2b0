package io.jenkins.plugins.gitops.core.git;

/** Where the git engine reports what it does; the CLI prints to stderr, the plugin to the build log. */
public interface GitProgress {

    void info(String message);

    void warn(String message);

    static GitProgress silent() {
        return new GitProgress() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}
        };
    }
}
