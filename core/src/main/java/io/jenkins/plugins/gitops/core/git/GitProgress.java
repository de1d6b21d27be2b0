package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.util.Objects;

/**
 * Where the git engine reports what it does; the CLI prints to stderr, the plugin to the build log. The engine hands
 * every line through {@link #redacted} first, so a sink never sees a secret.
 */
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

    /** {@code sink} behind {@link Redaction}: every line passes through it before {@code sink} sees it. */
    static GitProgress redacted(GitProgress sink) {
        return sink instanceof Redacted ? sink : new Redacted(sink);
    }

    /** A sink that only ever receives redacted lines; see {@link #redacted}. */
    record Redacted(GitProgress sink) implements GitProgress {
        public Redacted {
            Objects.requireNonNull(sink, "sink");
        }

        @Override
        public void info(String message) {
            sink.info(Redaction.apply(message));
        }

        @Override
        public void warn(String message) {
            sink.warn(Redaction.apply(message));
        }
    }
}
