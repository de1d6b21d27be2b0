package io.jenkins.plugins.gitops.core.bench;

import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** What the benchmark main classes share: argument parsing, units, named daemon threads, fake commit SHAs. */
final class BenchHarness {

    private BenchHarness() {}

    /** The integer after {@code name} in {@code args}, else {@code fallback}. */
    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, ... so that a thread count can tell whose they are. */
    static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A distinct 40-hex commit SHA for run {@code n}. */
    static String sha(long n) {
        return String.format(Locale.ROOT, "%040x", n);
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
