package io.jenkins.plugins.gitops.core.redaction;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Objects;

/**
 * A writer that passes its text through {@link Redaction} line by line before {@code out} sees it: a command line's
 * stdout and stderr, a log. Text is held back until a line ends or the writer is flushed, so that a secret written in
 * pieces is still recognised (a line is the unit every message, JSON result and progress report is written in).
 * When {@code out} is a {@link PrintWriter}, its swallowed errors are reported as an {@link IOException}, so that a
 * {@code PrintWriter} around this one still knows the output failed.
 */
public final class RedactedWriter extends Writer {

    private final Writer out;
    private final StringBuilder pending = new StringBuilder();

    public RedactedWriter(Writer out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** A {@link PrintWriter} (auto-flushing on println, as picocli's) whose every line is redacted. */
    public static PrintWriter printWriter(Writer out) {
        return new PrintWriter(new RedactedWriter(out), true);
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) throws IOException {
        pending.append(chars, offset, length);
        int end = pending.lastIndexOf("\n");
        if (end >= 0) {
            emit(end + 1);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        emit(pending.length());
        out.flush();
        check();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        out.close();
    }

    private void emit(int length) throws IOException {
        if (length == 0) {
            return;
        }
        String text = pending.substring(0, length);
        pending.delete(0, length);
        out.write(Redaction.apply(text));
        check();
    }

    private void check() throws IOException {
        if (out instanceof PrintWriter print && print.checkError()) {
            throw new IOException("the output cannot be written");
        }
    }
}
