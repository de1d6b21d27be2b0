package io.jenkins.plugins.gitops.core.bench;

import static io.jenkins.plugins.gitops.core.bench.BenchHarness.intArg;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.mb;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.ms;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.named;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.sha;

import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdClient;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdCredentials;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.core.argocd.SyncWaiter;
import io.jenkins.plugins.gitops.core.argocd.WaitRequest;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeApplication;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark of {@link SyncWaiter} against the in-process fake Argo CD (not run by the test suite):
 * <ol>
 *   <li>concurrency: N waits at once (default 200) in one JVM: peak live threads on the waiting side (the fake's own
 *       server threads are counted apart) and heap used;</li>
 *   <li>latency: the delay from the fake reaching an app's final state to the waiter returning, over many
 *       sequential sync-and-waits (median, p99, max).</li>
 * </ol>
 * Run with {@code bench/argocd-sync.sh [--runs N] [--concurrent N]}.
 */
public final class SyncWaiterBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    public static void main(String[] args) throws Exception {
        int runs = intArg(args, "--runs", 300);
        int concurrent = intArg(args, "--concurrent", 200);
        ThreadSampler sampler = new ThreadSampler();
        ExecutorService httpExecutor = Executors.newFixedThreadPool(2, named("waiter-http"));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, named("waiter-scheduler"));
        HttpClient http = HttpClient.newBuilder().executor(httpExecutor).build();
        try (FakeArgoCd argo = FakeArgoCd.builder().withoutContractValidation().start()) {
            argo.setRevision("main", sha(0));
            ArgoCdClient client = new ArgoCdClient(argo.uri(),
                    new ArgoCdCredentials.Token(argo.issueToken(FakeArgoCd.USERNAME)), http);
            SyncWaiter waiter = new SyncWaiter(client, scheduler, Clock.systemUTC(), SyncWaiter.Settings.defaults());

            System.out.println("SyncWaiter benchmark (fake Argo CD in-process, controller step 5 ms, streaming)");
            System.out.printf(Locale.ROOT, "JVM %s, %d CPUs, max heap %d MB%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            // Concurrency first, so that its heap figures do not carry the latency runs' leftovers.
            concurrency(argo, waiter, concurrent, sampler);
            latency(argo, waiter, runs);
        } finally {
            sampler.stop();
            scheduler.shutdownNow();
            httpExecutor.shutdownNow();
        }
    }

    /** Sequential sync-and-waits of one app, each to a new commit. */
    private static void latency(FakeArgoCd argo, SyncWaiter waiter, int runs) throws Exception {
        FakeApplication app = argo.createApp("latency");
        int warmup = Math.min(30, runs / 5);
        long[] delays = new long[runs];
        for (int i = -warmup; i < runs; i++) {
            String sha = sha(i + warmup + 1);
            argo.setRevision("main", sha);
            long[] returned = new long[1];
            SyncResult result = waiter.start(WaitRequest.of(ApplicationRef.of(app.name()), TIMEOUT)
                                    .withExpectedRevision(sha), null)
                    .whenComplete((r, e) -> returned[0] = System.nanoTime())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (result.outcome() != SyncResult.Outcome.SYNCED) {
                throw new IllegalStateException("run " + i + " did not sync: " + result.message());
            }
            if (i >= 0) {
                delays[i] = returned[0] - app.lastChangeNanos();
            }
        }
        Arrays.sort(delays);
        System.out.println();
        System.out.printf(Locale.ROOT, "2. final state -> waiter returned, %d sequential sync-and-waits%n", runs);
        System.out.printf(Locale.ROOT, "   median %.2f ms   p99 %.2f ms   max %.2f ms   (target p99 < 100 ms)%n",
                ms(delays[runs / 2]), ms(delays[(int) Math.ceil(runs * 0.99) - 1]), ms(delays[runs - 1]));
    }

    /** N waits at once, each on its own app, held Running while measured, then released. */
    private static void concurrency(FakeArgoCd argo, SyncWaiter waiter, int count, ThreadSampler sampler)
            throws Exception {
        List<FakeApplication> apps = new ArrayList<>();
        String sha = sha(1_000_000);
        for (int i = 0; i < count; i++) {
            apps.add(argo.createApp("app-" + i).holdOperations());
        }
        argo.setRevision("main", sha);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        int waitingThreadsBefore = sampler.waitingSideNow();
        sampler.reset();

        long start = System.nanoTime();
        AtomicInteger running = new AtomicInteger();
        List<CompletableFuture<SyncResult>> waits = new ArrayList<>();
        for (FakeApplication app : apps) {
            waits.add(waiter.start(WaitRequest.of(ApplicationRef.of(app.name()), TIMEOUT).withExpectedRevision(sha),
                    line -> {
                        if (line.equals("sync operation Running")) {
                            running.incrementAndGet();
                        }
                    }));
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (running.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (running.get() < count) {
            throw new IllegalStateException("only " + running.get() + " of " + count + " waits saw their operation run");
        }
        System.gc();
        long heapWaiting = memory.getHeapMemoryUsage().getUsed();
        apps.forEach(FakeApplication::releaseOperation);
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        long synced = waits.stream().filter(w -> w.join().outcome() == SyncResult.Outcome.SYNCED).count();
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();

        System.out.println();
        System.out.printf(Locale.ROOT, "1. %d concurrent sync-and-waits (streaming), all in one JVM%n", count);
        System.out.printf(Locale.ROOT, "   synced %d/%d in %.1f s%n", synced, count, elapsed / 1e9);
        System.out.printf(Locale.ROOT, "   peak live threads, waiting side: %d (just before the waits: %d; target <= 16)%n",
                sampler.peakWaitingSide(), waitingThreadsBefore);
        System.out.printf(Locale.ROOT, "     = main + sampler + %s%n", sampler.peakWaitingSideNames());
        System.out.println("     (Thread-N: the JDK HttpClient completes each response on the common pool, which is a"
                + " thread per task when it has fewer than 2 threads, i.e. on 2 CPUs)");
        System.out.printf(Locale.ROOT, "   peak live threads, fake Argo CD server: %d%n",
                sampler.peakFake());
        System.out.printf(Locale.ROOT, "   heap used after GC: %.1f MB before, %.1f MB with all %d waiting"
                        + " (+%.1f MB, fake's stream buffers included; target < 64 MB), %.1f MB after%n",
                mb(heapBefore), mb(heapWaiting), count, mb(heapWaiting - heapBefore), mb(heapAfter));
    }

    /** Samples live threads every 5 ms, split into the fake's server threads and everything else. */
    private static final class ThreadSampler {
        private final Thread thread;
        private volatile boolean stopped;
        private volatile int peakWaitingSide;
        private volatile int peakFake;
        private volatile java.util.Set<String> peakNames = java.util.Set.of();

        ThreadSampler() {
            thread = new Thread(this::loop, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (!stopped) {
                sample();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Samples once; returns the waiting side's live thread count now. */
        private synchronized int sample() {
            int fake = 0;
            List<String> names = new ArrayList<>();
            for (var entry : Thread.getAllStackTraces().entrySet()) {
                Thread t = entry.getKey();
                if (!t.isAlive()) {
                    continue;
                }
                if (isFake(t, entry.getValue())) {
                    fake++;
                } else if (!isJvmInternal(t)) {
                    names.add(t.getName());
                }
            }
            if (names.size() > peakWaitingSide) {
                peakWaitingSide = names.size();
                peakNames = new java.util.TreeSet<>(names);
            }
            peakFake = Math.max(peakFake, fake);
            return names.size();
        }

        int waitingSideNow() {
            return sample();
        }

        synchronized void reset() {
            peakWaitingSide = 0;
            peakFake = 0;
        }

        int peakWaitingSide() {
            return peakWaitingSide;
        }

        int peakFake() {
            return peakFake;
        }

        String peakWaitingSideNames() {
            List<String> others = new ArrayList<>();
            for (String name : peakNames) {
                if (!name.equals("main") && !name.equals("bench-sampler")) {
                    others.add(name.replaceAll("-\\d+$", "-N"));
                }
            }
            java.util.Map<String, Long> counts = new java.util.TreeMap<>();
            others.forEach(n -> counts.merge(n, 1L, Long::sum));
            return counts.toString();
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }

        /** The fake's own threads, and those of the JDK HTTP server under it (found by what they run). */
        private static boolean isFake(Thread t, StackTraceElement[] stack) {
            String name = t.getName();
            if (name.startsWith("fake-argocd") || name.startsWith("HTTP-Dispatcher") || name.equals("idle-timeout-task")) {
                return true;
            }
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("sun.net.httpserver.")
                        || frame.getClassName().startsWith("io.jenkins.plugins.gitops.core.testing.argocd.")) {
                    return true;
                }
            }
            return false;
        }

        /** Threads every JVM has (GC, compiler, finalizer, signal dispatcher, ...) are in the system group. */
        private static boolean isJvmInternal(Thread t) {
            ThreadGroup group = t.getThreadGroup();
            return group != null && "system".equals(group.getName()) || t.getName().startsWith("Common-Cleaner");
        }
    }
}
