package io.jenkins.plugins.gitops.core.testing.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies a stream to another on a daemon thread, flushing every chunk (git's protocols are interactive). */
final class StreamPump {

    private StreamPump() {}

    static Thread start(InputStream from, OutputStream to, boolean closeTarget, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[32 * 1024];
            try {
                int n;
                while ((n = from.read(buffer)) != -1) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the peer closed its end; the git process's exit code decides the outcome
            } finally {
                if (closeTarget) {
                    try {
                        to.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
