package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.init.Terminator;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The threads every Argo CD sync of this controller shares, created on first use and shut down with Jenkins: a
 * scheduler for the waits (core's waiter never blocks, so two threads serve hundreds of waits) and a bounded pool
 * for what blocks (opening a connection, the fabric8 client's calls), so that neither runs on Pipeline's CPS thread
 * or on Jenkins' shared {@code Timer}.
 */
@Restricted(NoExternalUse.class)
public final class SyncThreads {

    private static final int SCHEDULER_THREADS = 2;
    private static final int BLOCKING_THREADS = 4;

    private static SyncThreads current;

    private final ScheduledExecutorService scheduler;
    private final ExecutorService blocking;

    private SyncThreads() {
        scheduler = Executors.newScheduledThreadPool(
                SCHEDULER_THREADS, new NamingThreadFactory(new DaemonThreadFactory(), "GitOps Deploy sync waits"));
        blocking = Executors.newFixedThreadPool(
                BLOCKING_THREADS, new NamingThreadFactory(new DaemonThreadFactory(), "GitOps Deploy blocking calls"));
    }

    /** The threads of the running Jenkins; new ones after a {@link #shutDown()} (a restart in the same JVM). */
    static synchronized SyncThreads get() {
        if (current == null) {
            current = new SyncThreads();
        }
        return current;
    }

    /** Runs every step of every wait. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Runs calls that block: opening connections, the Kubernetes client's calls. */
    ExecutorService blocking() {
        return blocking;
    }

    /**
     * True when a wait that ran on these threads ended with the Jenkins that started it rather than by itself: these
     * threads were shut down with that Jenkins (after a restart in the same JVM the next Jenkins may already be
     * running, so asking the current Jenkins is not enough), or it failed while Jenkins was going down. The step
     * then reports nothing: its wait resumes after the restart ({@code onResume}) and reports the end there.
     */
    boolean endedWithItsJenkins(@CheckForNull Throwable error) {
        if (scheduler.isShutdown()) {
            return true;
        }
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        return error != null && (jenkins == null || jenkins.isTerminating());
    }

    /** Stops the threads as Jenkins shuts down; a wait still running resumes after the restart. */
    @Terminator
    public static void shutDown() {
        SyncThreads threads;
        synchronized (SyncThreads.class) {
            threads = current;
            current = null;
        }
        if (threads != null) {
            threads.scheduler.shutdownNow();
            threads.blocking.shutdownNow();
        }
    }
}
