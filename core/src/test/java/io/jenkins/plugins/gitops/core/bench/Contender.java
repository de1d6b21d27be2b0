package io.jenkins.plugins.gitops.core.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One way of updating the image, run as a whole process in the repository copy it edits. */
record Contender(String name, List<String> command, Map<String, String> environment) {

    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    /** Runs once in {@code copy}; the wall time is measured around process start and exit. */
    Sample runIn(Path copy, Path scratch) throws IOException, InterruptedException {
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
