package io.jenkins.plugins.gitops.core.bench;

import io.jenkins.plugins.gitops.core.manifest.EditReport;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Benchmark of {@code gitops set-image} as a whole process (JVM start included) against the shell
 * baseline {@code grep -rl IMAGE . | xargs sed -i 's|IMAGE:[^ ]*|IMAGE:NEWTAG|'} on a generated
 * 10,000-file config repository. Each contender runs on a fresh copy, alternating for several rounds,
 * and the report gives median/min/max wall time, the ratio to sed and peak RSS.
 *
 * <p>Run from the repository root through {@code bench/set-image.sh [--rounds N] [--apps N] [--jvm-options] [--warm N]}.
 * {@code --jvm-options} adds one contender per JVM option set, run as {@code java OPTIONS -jar}, to
 * measure which start-up options the {@code ./gitops} launcher should use. {@code --warm N} adds the engine
 * itself, called in this JVM as the Jenkins step calls it, after {@code N} untimed calls that warm the JIT.
 */
public final class SetImageBench {

    static final String NEW_TAG = "1.5.0";
    static final String HEAP_BOUND = "-Xmx256m";
    static final List<String> SET_IMAGE =
            List.of("set-image", "--image", ConfigRepoGenerator.TARGET_IMAGE, "--tag", NEW_TAG);

    private final Path root;
    private final Path work;
    /**
     * Where each run's fresh copy lives: outside any git checkout (the system temp directory), as a config
     * repository would be. Under core/target the copy sat inside this project's checkout, and set-image then
     * read the project's git index to decide whether to journal the edit, a cost no real run pays in that form.
     */
    private Path runs;
    private final int rounds;
    private final int apps;
    private final boolean jvmOptions;
    /** Untimed engine calls before the timed ones; -1 leaves the in-JVM contender out. */
    private final int warmUp;

    private SetImageBench(Path root, int rounds, int apps, boolean jvmOptions, int warmUp) {
        this.root = root;
        this.work = root.resolve("core/target/bench");
        this.rounds = rounds;
        this.apps = apps;
        this.jvmOptions = jvmOptions;
        this.warmUp = warmUp;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 7;
        int apps = 2000;
        boolean jvmOptions = false;
        int warmUp = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--apps" -> apps = Integer.parseInt(args[++i]);
                case "--jvm-options" -> jvmOptions = true;
                case "--warm" -> warmUp = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: bench/set-image.sh [--rounds N] [--apps N] [--jvm-options] [--warm N]");
                    System.exit(2);
                }
            }
        }
        Path root = Path.of("").toAbsolutePath();
        if (!Files.isExecutable(root.resolve("gitops")) || !Files.isRegularFile(root.resolve("core/target/gitops.jar"))) {
            System.err.println("Run from the repository root after building the jar: bench/set-image.sh does both.");
            System.exit(2);
        }
        new SetImageBench(root, rounds, apps, jvmOptions, warmUp).run();
    }

    private void run() throws IOException, InterruptedException {
        Files.createDirectories(work);
        runs = Files.createTempDirectory("gitops-set-image-bench");
        try {
            runAll();
        } finally {
            Shell.run(work, "rm", "-rf", runs.toString());
        }
    }

    private void runAll() throws IOException, InterruptedException {
        Path pristine = work.resolve("repo-" + apps);
        ConfigRepoGenerator generator = new ConfigRepoGenerator(apps);
        if (!Files.isDirectory(pristine)) {
            System.err.printf("generating %,d files in %s%n", generator.fileCount(), root.relativize(pristine));
            Path partial = work.resolve("repo-" + apps + ".partial");
            Shell.run(work.getParent(), "rm", "-rf", partial.toString());
            generator.writeTo(partial);
            Files.move(partial, pristine);
        }
        List<Contender> contenders = contenders();
        if (jvmOptions) {
            // The AppCDS contender maps an archive of the classes a set-image run loads; dump it once here.
            Path copy = freshCopy(pristine);
            new Contender.Command("AppCDS dump", javaJar(List.of("-XX:ArchiveClassesAtExit=" + appCdsArchive(), "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off")), Map.of()).runIn(copy, work);
        }
        Map<Contender, List<Sample>> samples = new LinkedHashMap<>();
        contenders.forEach(c -> samples.put(c, new ArrayList<>()));
        if (warmUp > 0) {
            // Back and forth between two tags on one copy, so that every call plans, verifies and writes the 20 files.
            Path copy = freshCopy(pristine);
            for (int i = 0; i < warmUp; i++) {
                engine(copy, i % 2 == 0 ? NEW_TAG : ConfigRepoGenerator.OLD_TAG);
            }
            Shell.run(work, "rm", "-rf", copy.toString());
        }

        // Round 0 warms the page cache and the launcher (it builds the jar or its class archive if stale);
        // its output is the sanity check, its times are not counted.
        Map<Contender, ReferenceScan> scans = new LinkedHashMap<>();
        for (Contender c : contenders) {
            Path copy = freshCopy(pristine);
            c.runIn(copy, work);
            scans.put(c, ReferenceScan.of(copy, pristine));
            Shell.run(work, "rm", "-rf", copy.toString());
        }
        String loadBefore = loadAverage();
        for (int round = 0; round < rounds; round++) {
            List<Contender> order = new ArrayList<>(contenders);
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (Contender c : order) {
                Path copy = freshCopy(pristine);
                samples.get(c).add(c.runIn(copy, work));
                Shell.run(work, "rm", "-rf", copy.toString());
            }
            System.err.printf("round %d/%d done%n", round + 1, rounds);
        }
        report(generator, contenders, samples, scans, loadBefore);
    }

    private List<Contender> contenders() {
        String image = ConfigRepoGenerator.TARGET_IMAGE;
        List<Contender> list = new ArrayList<>();
        list.add(new Contender.Command("sed baseline", List.of("bash", "-c",
                "grep -rl " + image + " . | xargs sed -i 's|" + image + ":[^ ]*|" + image + ":" + NEW_TAG + "|'"),
                Map.of()));
        List<String> viaLauncher = new ArrayList<>(List.of(root.resolve("gitops").toString()));
        viaLauncher.addAll(SET_IMAGE);
        list.add(new Contender.Command("./gitops set-image", viaLauncher, Map.of("GITOPS_JAVA_OPTS", HEAP_BOUND)));
        if (warmUp >= 0) {
            list.add(new Contender.InThisJvm("engine, warm JVM", copy -> engine(copy, NEW_TAG)));
        }
        if (jvmOptions) {
            Map<String, List<String>> optionSets = new LinkedHashMap<>();
            optionSets.put("java -jar (JVM defaults)", List.of());
            optionSets.put("+TieredStopAtLevel=1", List.of("-XX:TieredStopAtLevel=1"));
            optionSets.put("+UseSerialGC", List.of("-XX:+UseSerialGC"));
            optionSets.put("+C1 +SerialGC", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            optionSets.put("+C1 +SerialGC -Xshare:off", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:off"));
            optionSets.put("+C1 +SerialGC +AppCDS", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-XX:SharedArchiveFile=" + appCdsArchive(), "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
            optionSets.forEach((name, options) -> list.add(new Contender.Command(name, javaJar(options), Map.of())));
        }
        return list;
    }

    /** What the Jenkins step runs in its workspace: the edit, journalled when the directory is a git checkout. */
    private static void engine(Path copy, String tag) {
        EditReport report = JournalledEdits.applyAndRecord(copy,
                EditRequest.of(ImageUpdate.tag(ConfigRepoGenerator.TARGET_IMAGE, tag)));
        if (report.files().size() != ConfigRepoGenerator.targetFileCount()) {
            throw new IllegalStateException("the engine changed " + report.files().size() + " files, not "
                    + ConfigRepoGenerator.targetFileCount());
        }
    }

    private List<String> javaJar(List<String> options) {
        List<String> command = new ArrayList<>(List.of("java", HEAP_BOUND));
        command.addAll(options);
        command.addAll(List.of("-jar", root.resolve("core/target/gitops.jar").toString()));
        command.addAll(SET_IMAGE);
        return command;
    }

    private String appCdsArchive() {
        return work.resolve("bench-appcds.jsa").toString();
    }

    private Path freshCopy(Path pristine) throws IOException, InterruptedException {
        Path copy = runs.resolve("run");
        Shell.run(work, "rm", "-rf", copy.toString());
        Shell.run(work, "cp", "-a", pristine.toString(), copy.toString());
        return copy;
    }

    private void report(ConfigRepoGenerator generator, List<Contender> contenders, Map<Contender, List<Sample>> samples,
            Map<Contender, ReferenceScan> scans, String loadBefore) {
        line("gitops set-image benchmark: %,d YAML files (%,d apps), image %s in %d files, %s -> %s",
                generator.fileCount(), apps, ConfigRepoGenerator.TARGET_IMAGE, ConfigRepoGenerator.targetFileCount(),
                ConfigRepoGenerator.OLD_TAG, NEW_TAG);
        line("%d timed rounds per contender, alternating order, fresh copy each run; %s; load average %s -> %s",
                rounds, "Java " + Runtime.version(), loadBefore, loadAverage());
        line("%d CPUs", Runtime.getRuntime().availableProcessors());
        line("");
        double sedMedian = median(samples.get(contenders.get(0)), Sample::millis);
        double sedCpu = median(samples.get(contenders.get(0)), Sample::cpuMillis);
        line("%-28s %17s %9s %9s %8s %12s %8s %10s", "", "wall time:", "", "", "", "CPU (u+s):", "", "");
        line("%-28s %9s %9s %9s %8s %12s %8s %10s", "contender", "median", "min", "max", "x sed", "median", "x sed", "peak RSS");
        for (Contender c : contenders) {
            List<Sample> s = samples.get(c);
            double median = median(s, Sample::millis);
            double cpu = median(s, Sample::cpuMillis);
            line("%-28s %7.0fms %7.0fms %7.0fms %7.2fx %10.0fms %7.2fx %7.0f MB", c.name(), median,
                    s.stream().mapToDouble(Sample::millis).min().orElse(0),
                    s.stream().mapToDouble(Sample::millis).max().orElse(0), median / sedMedian,
                    cpu, sedCpu == 0 ? 0 : cpu / sedCpu,
                    s.stream().mapToLong(Sample::peakRssKb).max().orElse(0) / 1024.0);
        }
        line("");
        line("Sanity (first, untimed run of each):");
        ReferenceScan sed = scans.get(contenders.get(0));
        for (Contender c : contenders) {
            ReferenceScan scan = scans.get(c);
            String sameInline = scan.inlineTags().equals(sed.inlineTags()) ? "same IMAGE:TAG results as sed" : "DIFFERENT IMAGE:TAG results from sed";
            line("  %-26s %2d files changed; %d of %d references at %s; %s", c.name(), scan.changedFiles().size(),
                    scan.referenceCount() - scan.countNotAt(NEW_TAG), scan.referenceCount(), NEW_TAG, sameInline);
        }
        line("  (sed leaves the kustomize newTag and Helm repository/tag references behind: it sees only IMAGE:TAG)");
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> metric) {
        double[] sorted = samples.stream().mapToDouble(metric).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void line(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
