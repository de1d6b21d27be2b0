package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

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

    /*
     * A restart in the same JVM (JenkinsSessionRule): an answer to a wait of the Jenkins that shut down can arrive
     * after the next Jenkins is up. It must not end the step: the resumed wait reports the end. Seen in the suite as
     * GitopsSyncStepTest#resumesWaitingAfterARestartOfJenkins failing under load with "the waiter's scheduler is shut
     * down", because the step asked only whether the current Jenkins was terminating.
     */
    @Test
    @WithJenkins
    void aWaitOfAJenkinsThatShutDownEndedWithItEvenWhileTheNextJenkinsRuns(JenkinsRule j) {
        SyncThreads before = SyncThreads.get();
        SyncThreads.shutDown(); // what the termination of the previous Jenkins does
        SyncThreads next = SyncThreads.get();

        assertThat(j.jenkins.isTerminating()).isFalse();
        assertThat(before.endedWithItsJenkins(new IllegalStateException("the waiter's scheduler is shut down"))).isTrue();
        assertThat(before.endedWithItsJenkins(null)).isTrue();
        // The running Jenkins' own waits end by themselves, failed or not.
        assertThat(next.endedWithItsJenkins(new IOException("connection refused"))).isFalse();
        assertThat(next.endedWithItsJenkins(null)).isFalse();
        SyncThreads.shutDown();
    }
}
