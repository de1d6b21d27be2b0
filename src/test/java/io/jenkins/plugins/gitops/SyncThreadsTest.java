package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class SyncThreadsTest {

    @Test
    void shuttingJenkinsDownStopsThePluginsThreadsAndTheNextUseStartsNewOnes() {
        SyncThreads threads = SyncThreads.get();
        ScheduledExecutorService scheduler = threads.scheduler();
        ExecutorService blocking = threads.blocking();
        assertThat(SyncThreads.get()).isSameAs(threads);

        SyncThreads.shutDown();

        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(blocking.isShutdown()).isTrue();
        SyncThreads next = SyncThreads.get();
        assertThat(next).isNotSameAs(threads);
        assertThat(next.scheduler().isShutdown()).isFalse();
        SyncThreads.shutDown();
    }
}
