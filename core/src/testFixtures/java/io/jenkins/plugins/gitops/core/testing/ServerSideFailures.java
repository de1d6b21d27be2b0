package io.jenkins.plugins.gitops.core.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What went wrong on a test server's own threads. An exception (or a failed assertion) thrown while a handler answers
 * a request never reaches the test: the JDK server drops the connection, a mock server answers 500, and the client
 * sees only a broken response, which a test expecting a failure may well accept. Each test server records such a
 * throwable here and {@link #rethrow() rethrows} it to the test when it closes, so the test fails with the original
 * cause. Checks of what a server received belong on the test thread: record it in the handler, assert afterwards.
 */
public final class ServerSideFailures {

    private final String server;
    private final List<Throwable> seen = new CopyOnWriteArrayList<>();

    public ServerSideFailures(String server) {
        this.server = server;
    }

    /** Records {@code failure}, thrown while {@code where} ran on a server thread. */
    public void record(String where, Throwable failure) {
        seen.add(new AssertionError(server + " failed while " + where + ": " + failure, failure));
    }

    /** The failures recorded so far, oldest first. */
    public List<Throwable> seen() {
        return List.copyOf(seen);
    }

    /** Fails with the first recorded failure (the others suppressed in it) when there is any. */
    public void rethrow() {
        if (seen.isEmpty()) {
            return;
        }
        AssertionError first = new AssertionError(seen.size() + " failure(s) on the threads of " + server + "; the first: "
                + seen.get(0).getMessage(), seen.get(0).getCause());
        seen.stream().skip(1).forEach(first::addSuppressed);
        throw first;
    }
}
