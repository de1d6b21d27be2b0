package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link Main#main} does before it exits: end the selector threads of HTTP clients that are still referenced. */
class HttpClientSelectorsTest {

    @Test
    void endsTheSelectorThreadOfAClientStillInUse() {
        HttpClient client = HttpClient.newHttpClient(); // its selector thread starts with it
        assertThat(selectorThreads()).as("selector threads before").isNotEmpty();

        HttpClientSelectors.stop();

        assertThat(selectorThreads()).as("selector threads left running").isEmpty();
        java.lang.ref.Reference.reachabilityFence(client); // a collected client would end its thread by itself
    }

    private static List<Thread> selectorThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 64];
        int count = root.enumerate(threads, true);
        return Arrays.stream(threads, 0, count)
                .filter(Thread::isAlive)
                .filter(thread -> thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("-SelectorManager"))
                .toList();
    }
}
