package io.jenkins.plugins.gitops.core.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.HealthStatusCode;
import io.jenkins.plugins.gitops.core.argocd.WatchEvent;
import io.jenkins.plugins.gitops.core.argocd.WatchHandle;
import io.jenkins.plugins.gitops.core.argocd.WatchListener;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // a watch is held open by its try block; its events come through the listener
class ApplicationWatchTest {

    private GuestbookCluster cluster;
    private ApplicationCrServer server;
    private KubernetesApplicationBackend backend;
    private final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    private final List<Throwable> closed = new CopyOnWriteArrayList<>();
    private final WatchListener listener = new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onClosed(Throwable error) {
            closed.add(error == null ? new IllegalStateException("plain end of stream") : error);
        }
    };

    @BeforeEach
    void start() {
        cluster = new GuestbookCluster();
        server = cluster.server;
        backend = cluster.backend;
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void firstEventIsTheCurrentStateThenEachChangeOnce() throws Exception {
        String version = server.read("guestbook").path("metadata").path("resourceVersion").asText();
        try (WatchHandle watch = backend.watch(ApplicationRef.of("guestbook"), null, listener)) {
            WatchEvent first = next();
            assertThat(first.type()).isEqualTo(WatchEvent.Type.ADDED);
            assertThat(first.application().metadata().resourceVersion()).isEqualTo(version);

            degrade();

            WatchEvent change = next();
            assertThat(change.application().status().health().status()).isEqualTo(HealthStatusCode.Degraded);
            assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("no repeated state").isNull();
        }
        assertThat(closed).isEmpty();
    }

    @Test
    void expiredWatchReadsTheApplicationAgainAndGoesOn() throws Exception {
        server.expireNextWatches(1);
        try (WatchHandle watch = backend.watch(ApplicationRef.of("guestbook"), null, listener)) {
            assertThat(next().type()).isEqualTo(WatchEvent.Type.ADDED);
            awaitWatches(2);
            assertThat(server.requests()).filteredOn(r -> r.method().equals("GET") && r.path().endsWith("/applications/guestbook"))
                    .as("the Application read before the first watch and again after the expired one").hasSize(2);

            degrade();

            assertThat(next().application().status().health().status()).isEqualTo(HealthStatusCode.Degraded);
        }
        assertThat(closed).as("a 410 is handled inside the backend").isEmpty();
    }

    @Test
    void droppedConnectionIsResumedWithoutTellingTheListener() throws Exception {
        try (WatchHandle watch = backend.watch(ApplicationRef.of("guestbook"), null, listener)) {
            next();
            awaitOpenWatch();

            server.dropWatches();
            degrade();

            assertThat(next().application().status().health().status()).isEqualTo(HealthStatusCode.Degraded);
            awaitWatches(2);
        }
        assertThat(closed).isEmpty();
    }

    @Test
    void missingApplicationEndsTheWatchWithNotFound() throws Exception {
        backend.watch(ApplicationRef.of("nope"), null, listener);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (closed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(closed).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("argocd/nope not found"));
        assertThat(events).isEmpty();
    }

    /**
     * An exception thrown by the listener (a broken waiter, an event it cannot use) ends the watch with that error at
     * once, whether it happens on the executor (the first event) or in the Kubernetes client's callback (a change),
     * where it would otherwise only be logged.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "on event {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void anExceptionInTheListenerEndsTheWatchWithIt(int failingEvent) throws Exception {
        IllegalStateException broken = new IllegalStateException("the listener cannot use event " + failingEvent);
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        BlockingQueue<Throwable> ends = new LinkedBlockingQueue<>();
        WatchListener failing = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                if (seen.incrementAndGet() == failingEvent) {
                    throw broken;
                }
            }

            @Override
            public void onClosed(Throwable error) {
                ends.add(error == null ? new IllegalStateException("plain end of stream") : error);
            }
        };
        try (WatchHandle watch = backend.watch(ApplicationRef.of("guestbook"), null, failing)) {
            if (failingEvent > 1) {
                awaitOpenWatch();
                degrade();
            }

            assertThat(ends.poll(60, TimeUnit.SECONDS)).as("the watch ended within the bound").isSameAs(broken);
        }
    }

    private void degrade() {
        server.update("guestbook", app -> ((ObjectNode) app.get("status")).putObject("health").put("status", "Degraded"));
    }

    private WatchEvent next() throws InterruptedException {
        WatchEvent event = events.poll(60, TimeUnit.SECONDS);
        assertThat(event).as("an event within the bound").isNotNull();
        return event;
    }

    private void awaitOpenWatch() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.openWatchesOf("guestbook") == 0) {
            assertThat(System.nanoTime()).as("an open watch within the bound").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private void awaitWatches(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.requests().stream().filter(r -> r.path().contains("watch=true")).count() < count) {
            assertThat(System.nanoTime()).as("watch requests within the bound").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
