package io.jenkins.plugins.gitops.core.bench;

import static io.jenkins.plugins.gitops.core.bench.BenchHarness.intArg;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.mb;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.ms;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.named;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.sha;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.core.argocd.SyncWaiter;
import io.jenkins.plugins.gitops.core.argocd.WaitRequest;
import io.jenkins.plugins.gitops.core.kube.KubernetesApplicationBackend;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationControllerSimulator;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Benchmark of {@link SyncWaiter} driving Application custom resources through the Kubernetes API (fabric8's mock
 * server with the real CRD and the simulated controller, in-process; not run by the test suite):
 * <ol>
 *   <li>latency: from the simulated controller's last write (the app's final state) to the waiter returning, over
 *       sequential sync-and-waits (median, p99, max);</li>
 *   <li>concurrency: N waits at once, each on its own app, counted while all operations are held Running: the
 *       threads that appeared with the waits (grouped by name, the mock server's apart) and the heap.</li>
 * </ol>
 * Run with {@code bench/kubernetes-sync.sh [--runs N] [--concurrent N]}.
 */
public final class KubernetesSyncWaitBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Held so that the level sticks: the mock web server logs every request at INFO. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(Level.WARNING);
        int runs = intArg(args, "--runs", 100);
        int concurrent = intArg(args, "--concurrent", 200);
        ExecutorService calls = Executors.newFixedThreadPool(2, named("waiter-calls"));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, named("waiter-scheduler"));
        try (ApplicationCrServer server = ApplicationCrServer.start();
                KubernetesClient controllerClient = server.newClient();
                KubernetesClient jenkinsClient = server.newClient();
                ApplicationControllerSimulator controller = ApplicationControllerSimulator.start(server, controllerClient)) {
            SyncWaiter waiter = new SyncWaiter(new KubernetesApplicationBackend(jenkinsClient, null, null, calls), scheduler);
            System.out.println("SyncWaiter over the Application CR (fabric8 mock Kubernetes API and simulated controller"
                    + " in-process, watches over WebSocket)");
            System.out.printf(Locale.ROOT, "JVM %s, %d CPUs, max heap %d MB%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            latency(server, controller, waiter, runs);
            concurrency(server, controller, waiter, concurrent);
        } finally {
            scheduler.shutdownNow();
            calls.shutdownNow();
        }
    }

    private static void latency(ApplicationCrServer server, ApplicationControllerSimulator controller, SyncWaiter waiter,
            int runs) throws Exception {
        server.create(ApplicationCrServer.exampleApplication("latency"));
        int warmup = Math.min(20, runs / 5);
        long[] delays = new long[runs];
        for (int i = -warmup; i < runs; i++) {
            String sha = sha(i + warmup + 1);
            controller.resolving("main", sha);
            long[] returned = new long[1];
            SyncResult result = waiter.start(WaitRequest.of(ApplicationRef.of("latency"), TIMEOUT).withExpectedRevision(sha), null)
                    .whenComplete((r, e) -> returned[0] = System.nanoTime())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (result.outcome() != SyncResult.Outcome.SYNCED) {
                throw new IllegalStateException("run " + i + " did not sync: " + result.message());
            }
            if (i >= 0) {
                delays[i] = returned[0] - controller.settledAtNanos("latency");
            }
        }
        Arrays.sort(delays);
        System.out.println();
        System.out.printf(Locale.ROOT, "1. final state -> waiter returned, %d sequential sync-and-waits%n", runs);
        System.out.printf(Locale.ROOT, "   median %.2f ms   p99 %.2f ms   max %.2f ms%n",
                ms(delays[runs / 2]), ms(delays[(int) Math.ceil(runs * 0.99) - 1]), ms(delays[runs - 1]));
    }

    private static void concurrency(ApplicationCrServer server, ApplicationControllerSimulator controller,
            SyncWaiter waiter, int count) throws Exception {
        String sha = sha(1_000_000);
        controller.resolving("main", sha).holdOperations();
        for (int i = 0; i < count; i++) {
            server.create(ApplicationCrServer.exampleApplication("app-" + i));
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        Set<Thread> threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());

        long start = System.nanoTime();
        List<CompletableFuture<SyncResult>> waits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            waits.add(waiter.start(WaitRequest.of(ApplicationRef.of("app-" + i), TIMEOUT).withExpectedRevision(sha), null));
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while ((controller.runningOperations().size() < count || server.openWatchesOf("app-" + (count - 1)) == 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (controller.runningOperations().size() < count) {
            throw new IllegalStateException("only " + controller.runningOperations().size() + " of " + count
                    + " operations started");
        }
        Map<String, Integer> newThreads = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !threadsBefore.contains(t)) {
                newThreads.merge(t.getName().replaceAll("\\d+", "N"), 1, Integer::sum);
            }
        }
        System.gc();
        long heapWaiting = memory.getHeapMemoryUsage().getUsed();
        controller.releaseOperations();
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        long synced = waits.stream().filter(w -> w.join().outcome() == SyncResult.Outcome.SYNCED).count();

        // The mock server runs each open watch on its own single-thread executor (pool-N-thread-N).
        int mockPerWatch = newThreads.getOrDefault("pool-N-thread-N", 0);
        int waitingSide = newThreads.values().stream().mapToInt(Integer::intValue).sum() - mockPerWatch;
        System.out.println();
        System.out.printf(Locale.ROOT, "2. %d concurrent sync-and-waits, one Kubernetes client, all in one JVM%n", count);
        System.out.printf(Locale.ROOT, "   synced %d/%d in %.1f s%n", synced, count, elapsed / 1e9);
        System.out.printf(Locale.ROOT, "   threads started with the waits, besides the mock server's one per watch (%d): %d%n",
                mockPerWatch, waitingSide);
        newThreads.remove("pool-N-thread-N");
        System.out.printf(Locale.ROOT, "     %s (the waiter's own pools, 2 + 2, existed before)%n", newThreads);
        System.out.printf(Locale.ROOT, "   heap used after GC: %.1f MB before, %.1f MB with all %d waiting (+%.1f MB,"
                + " mock server included)%n", mb(heapBefore), mb(heapWaiting), count, mb(heapWaiting - heapBefore));
    }
}
