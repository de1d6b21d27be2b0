package io.jenkins.plugins.gitops.core.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** One way of updating the image, run in the repository copy it edits. */
sealed interface Contender {

    String name();

    /** Runs once in {@code copy}. */
    Sample runIn(Path copy, Path scratch) throws IOException, InterruptedException;

    /** A whole process; the wall time is measured around its start and exit. */
    record Command(String name, List<String> command, Map<String, String> environment) implements Contender {

        private static final Path GNU_TIME = Path.of("/usr/bin/time");

        @Override
        public Sample runIn(Path copy, Path scratch) throws IOException, InterruptedException {
            Path usage = scratch.resolve("usage.txt");
            Path log = scratch.resolve("output.txt");
            Files.deleteIfExists(usage);
            List<String> full = new ArrayList<>();
            boolean measureUsage = Files.isExecutable(GNU_TIME);
            if (measureUsage) {
                // GNU time: the largest resident set among the process and its waited-for children, and their
                // CPU seconds (user, system), which a busy shared machine inflates far less than wall time.
                full.addAll(List.of(GNU_TIME.toString(), "-f", "%M %U %S", "-o", usage.toString()));
            }
            full.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(full).directory(copy.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            long start = System.nanoTime();
            int exit = builder.start().waitFor();
            long nanos = System.nanoTime() - start;
            if (exit != 0) {
                throw new IllegalStateException(name + " exited with " + exit + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (!measureUsage) {
                return new Sample(nanos / 1e6, 0, 0);
            }
            String[] fields = Files.readString(usage, StandardCharsets.US_ASCII).strip().split(" ");
            double cpuMillis = (Double.parseDouble(fields[1]) + Double.parseDouble(fields[2])) * 1000;
            return new Sample(nanos / 1e6, cpuMillis, Long.parseLong(fields[0]));
        }
    }

    /**
     * A call in the benchmark's own JVM, as a long-running host (the Jenkins controller or agent) makes it: no start-up,
     * compiled code. CPU time is the calling thread's (the collector's threads are not counted); no resident set.
     */
    record InThisJvm(String name, Consumer<Path> call) implements Contender {

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        @Override
        public Sample runIn(Path copy, Path scratch) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            call.accept(copy);
            long nanos = System.nanoTime() - start;
            return new Sample(nanos / 1e6, (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6, 0);
        }
    }
}
