package io.jenkins.plugins.gitops.core.cli;

/**
 * Ends the JDK HttpClient's selector threads once a command is done with HTTP, so that the process exits as soon as
 * its outcome is printed. Such a thread waits in native code (epoll) until its client is garbage collected, and on
 * JDK 17 the JVM's exit waits up to about 300 ms for threads in native code; interrupting one ends its loop at once
 * and closes its selector. JDK 21's {@code HttpClient.shutdownNow()} would do the same for a client we hold, but
 * the Kubernetes client keeps its own: so {@link Main#main} ends them all before exiting, found by the name the JDK
 * gives them ({@code HttpClient-N-SelectorManager}, the same from JDK 11 to 25). Never in a JVM that goes on.
 */
final class HttpClientSelectors {

    /** Long enough for an interrupted selector loop to close its channels; it takes microseconds. */
    private static final long JOIN_MILLIS = 200;

    private HttpClientSelectors() {}

    /**
     * Call only when the process is about to exit. Plain loops rather than a stream: this runs once, after the
     * outcome is printed, where every lambda and stream class still to be set up is time before the exit.
     */
    static void stop() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 8];
        int count = root.enumerate(threads, true);
        int selectors = 0;
        for (int i = 0; i < count; i++) {
            String name = threads[i].getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                threads[i].interrupt();
                threads[selectors++] = threads[i];
            }
        }
        try {
            for (int i = 0; i < selectors; i++) {
                threads[i].join(JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
