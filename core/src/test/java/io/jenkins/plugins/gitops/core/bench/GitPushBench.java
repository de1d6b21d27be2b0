package io.jenkins.plugins.gitops.core.bench;

import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark of {@code gitops update} against the seed-style shell glue
 * ({@code git clone --depth 1 && sed -i && git commit && git push}) on a large config repository served over
 * smart HTTP with basic auth on loopback (the real {@code git-http-backend}).
 *
 * <p>Part 1 times one update at a time, alternating the contenders (each gitops command with {@code --path} and
 * without it, the depth-1 script, the blobless sparse script), and reports medians and their ratios.
 * Part 2 starts 16 updaters of different apps at the same moment, once with ours and once with the script,
 * and counts how many updates landed and how many script pushes failed. Run with {@code bench/git-push.sh}.
 */
public final class GitPushBench {

    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password";
    private static final String IMAGE = "registry.example.test/team/app";
    private static final String[] FILES = {"deployment.yaml", "service.yaml", "kustomization.yaml", "values.yaml", "configmap.yaml"};

    private final int apps;
    /** Bytes of seeded random text in each app's ConfigMap, to give the repository the blob weight of a real one. */
    private final int fileBytes;
    private final int commits;
    private final int rounds;
    private final int concurrent;
    /** The commands that run gitops, each a contender; the first also runs the concurrent part. */
    private final List<List<String>> gitops;
    private final Path work;

    private GitPushBench(int apps, int fileBytes, int commits, int rounds, int concurrent, List<List<String>> gitops, Path work) {
        this.apps = apps;
        this.fileBytes = fileBytes;
        this.commits = commits;
        this.rounds = rounds;
        this.concurrent = concurrent;
        this.gitops = gitops;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int files = 20_000;
        int commits = 5_000;
        int fileBytes = 0;
        int rounds = 7;
        int concurrent = 16;
        Path jar = Path.of("core/target/gitops.jar");
        List<List<String>> gitops = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--commits" -> commits = Integer.parseInt(args[++i]);
                case "--file-bytes" -> fileBytes = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--concurrent" -> concurrent = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--gitops" -> gitops.add(List.of(args[++i].split(" ")));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --files N --file-bytes N --commits N --rounds N --concurrent N --jar PATH --gitops COMMAND)");
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -f core/pom.xml -DskipTests package");
        }
        if (gitops.isEmpty()) {
            List<String> command = new ArrayList<>(LauncherOptions.java());
            command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
            gitops.add(command);
        }
        Path work = Files.createTempDirectory("gitops-push-bench-");
        try {
            new GitPushBench(Math.max(concurrent * 2, files / FILES.length), fileBytes, commits, rounds, concurrent, gitops, work).run();
        } finally {
            deleteTree(work);
        }
    }

    private void run() throws Exception {
        Path served = Files.createDirectories(work.resolve("served"));
        long generate = System.nanoTime();
        Path bare = generate(served.resolve("config.git"));
        System.out.printf(Locale.ROOT, "repository: %,d files, %,d commits, pack %,d KB (generated in %.1f s)%n",
                apps * FILES.length, commits, packKb(bare), (System.nanoTime() - generate) / 1e9);
        System.out.println("git: " + GitCli.run(work, "version").strip() + "; java: " + System.getProperty("java.version")
                + "; cores: " + Runtime.getRuntime().availableProcessors());
        Path password = work.resolve("password");
        Files.writeString(password, PASSWORD);
        // Filters allowed, as GitHub and GitLab serve: the blobless contenders fetch only the blobs they need.
        try (GitHttpServer server = GitHttpServer.start(served, USER, PASSWORD).allowFilters()) {
            String url = server.url("config.git");
            int app = 0;
            // one untimed warm-up of each, so that the page cache and the server side are warm for all
            for (List<String> command : gitops) {
                ours(command, url, password, app++, "warm", work.resolve("w-ours-" + app), true).check();
                ours(command, url, password, app++, "warm", work.resolve("w-ours-" + app), false).check();
            }
            script(url, app++, "warm", work.resolve("w-script"), false).check();
            script(url, app++, "warm", work.resolve("w-sparse"), true).check();

            // per command: with --path, then without (the whole repository, as the depth-1 script edits it)
            List<List<Measure>> oursRuns = new ArrayList<>();
            gitops.forEach(command -> {
                oursRuns.add(new ArrayList<>());
                oursRuns.add(new ArrayList<>());
            });
            List<Measure> scriptRuns = new ArrayList<>();
            List<Measure> sparseRuns = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                String tag = "r" + round;
                StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
                for (int c = 0; c < gitops.size(); c++) {
                    List<String> command = gitops.get(c);
                    for (boolean withPath : new boolean[] {true, false}) {
                        int first = app++;
                        Measure o = measure(server, () -> ours(command, url, password, first, tag, work.resolve("ours-" + first), withPath));
                        oursRuns.get(2 * c + (withPath ? 0 : 1)).add(o);
                        line.append(String.format(Locale.ROOT, " gitops update #%d%s %.0f ms,", c + 1, withPath ? " --path" : "", o.millis()));
                    }
                }
                int first = app;
                app += 2;
                Measure s = measure(server, () -> script(url, first, tag, work.resolve("script-" + tag), false));
                Measure b = measure(server, () -> script(url, first + 1, tag, work.resolve("sparse-" + tag), true));
                scriptRuns.add(s);
                sparseRuns.add(b);
                System.out.printf(Locale.ROOT, "%s git script %.0f ms, blobless sparse git script %.0f ms%n", line, s.millis(), b.millis());
            }
            double scriptMedian = median(scriptRuns.stream().map(Measure::millis).toList());
            double sparseMedian = median(sparseRuns.stream().map(Measure::millis).toList());

            System.out.println();
            System.out.println("== single update (" + rounds + " alternating rounds, whole process; bytes are HTTP bodies) ==");
            for (int r = 0; r < oursRuns.size(); r++) {
                report("gitops update #" + (r / 2 + 1) + (r % 2 == 0 ? " --path" : "") + " (" + String.join(" ", gitops.get(r / 2)) + ")",
                        oursRuns.get(r), scriptMedian);
                double oursMedian = median(oursRuns.get(r).stream().map(Measure::millis).toList());
                System.out.printf(Locale.ROOT, "  ratio to the depth-1 script: %.2fx; to the blobless sparse script: %.2fx%n",
                        oursMedian / scriptMedian, oursMedian / sparseMedian);
            }
            report("git clone --depth 1 && sed -i && git commit && git push", scriptRuns, scriptMedian);
            report("git clone --filter=blob:none --depth 1 --sparse && git sparse-checkout set && sed && commit && push",
                    sparseRuns, scriptMedian);
            if (concurrent == 0) {
                return;
            }
            String before = GitCli.run(bare, "rev-parse", "main").strip();
            List<Outcome> oursRace = race(url, password, app, true);
            app += concurrent;
            int oursLanded = landed(bare, before, oursRace);
            String middle = GitCli.run(bare, "rev-parse", "main").strip();
            List<Outcome> scriptRace = race(url, password, app, false);
            int scriptLanded = landed(bare, middle, scriptRace);
            GitCli.run(bare, "fsck", "--no-progress");
            oursRace.stream().filter(o -> o.exit() != 0).findFirst().ifPresent(o ->
                    System.out.println("first failed gitops update (exit " + o.exit() + "):\n" + o.output().strip()));

            System.out.println();
            System.out.println("== " + concurrent + " concurrent updaters, each changing a different app ==");
            System.out.printf(Locale.ROOT, "gitops update: %d/%d landed, %d failed, wall %.1f s, attempts used: %s%n",
                    oursLanded, concurrent, failures(oursRace), wall(oursRace) / 1e3, attempts(oursRace));
            System.out.printf(Locale.ROOT, "git script:    %d/%d landed, %d pushes failed, wall %.1f s%n",
                    scriptLanded, concurrent, failures(scriptRace), wall(scriptRace) / 1e3);
        }
    }

    /**
     * A config repository of {@code apps * 5} files and {@code commits} commits, written by git fast-import from a
     * stream on disk (a 1 GB repository does not fit one array). Repacked with deltas only while small: a repack of
     * a gigabyte of random text finds no deltas and takes minutes.
     */
    private Path generate(Path bare) throws IOException {
        Files.createDirectories(bare);
        GitCli.run(bare, "init", "--bare", "--quiet", "--initial-branch=main");
        Path stream = work.resolve("fast-import.dat");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(stream), 1 << 20)) {
            long time = 1_700_000_000L;
            int[] tags = new int[apps];
            java.util.Random random = new java.util.Random(42);
            out.write(header(1, time, "Initial config", false));
            for (int a = 0; a < apps; a++) {
                for (String file : FILES) {
                    inline(out, path(a, file), content(a, file, 0) + (file.equals("configmap.yaml") ? payload(random) : ""));
                }
            }
            for (int c = 2; c <= commits; c++) {
                int a = random.nextInt(apps);
                tags[a]++;
                out.write(header(c, time + c, "Bump app-" + a + " to 1." + tags[a] + ".0", true));
                inline(out, path(a, "deployment.yaml"), content(a, "deployment.yaml", tags[a]));
            }
        }
        try (InputStream input = Files.newInputStream(stream)) {
            GitCli.run(bare, input, "fast-import", "--quiet");
        }
        Files.delete(stream);
        if ((long) apps * fileBytes < (64L << 20)) {
            GitCli.run(bare, "repack", "-a", "-d", "-q", "--window=10");
        }
        return bare;
    }

    /** {@code fileBytes} of base64 text in 76-character lines under a block scalar, as a ConfigMap carries a bundle. */
    private String payload(java.util.Random random) {
        if (fileBytes == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder(fileBytes + 100).append("  bundle: |\n");
        byte[] line = new byte[57]; // 76 characters of base64
        while (text.length() < fileBytes) {
            random.nextBytes(line);
            text.append("    ").append(java.util.Base64.getEncoder().encodeToString(line)).append('\n');
        }
        return text.toString();
    }

    private static byte[] header(int mark, long time, String message, boolean hasParent) {
        String text = "commit refs/heads/main\nmark :" + mark + "\ncommitter Bench <bench@example.test> " + time + " +0000\n"
                + "data " + message.getBytes(StandardCharsets.UTF_8).length + "\n" + message + "\n"
                + (hasParent ? "from :" + (mark - 1) + "\n" : "");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void inline(OutputStream stream, String path, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        stream.write(("M 100644 inline " + path + "\ndata " + data.length + "\n").getBytes(StandardCharsets.UTF_8));
        stream.write(data);
        stream.write('\n');
    }

    private static String path(int app, String file) {
        return "apps/app-" + app + "/" + file;
    }

    private static String content(int app, String file, int tag) {
        String name = "app-" + app;
        return switch (file) {
            case "deployment.yaml" -> "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n"
                    + "  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: " + name + "\n"
                    + "          image: " + IMAGE + "-" + app + ":1." + tag + ".0 # bumped by CI\n"
                    + "          ports:\n            - containerPort: 8080\n";
            case "service.yaml" -> "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\nspec:\n  ports:\n    - port: 80\n      targetPort: 8080\n";
            case "kustomization.yaml" -> "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\n";
            case "values.yaml" -> "replicaCount: 2\nresources:\n  limits:\n    memory: 256Mi\n";
            default -> "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  LOG_LEVEL: info\n";
        };
    }

    /** One contender's run with what it moved over HTTP; the contenders run one at a time, so the deltas are theirs. */
    private record Measure(double millis, long bytesDown, long bytesUp) {}

    private interface Run {
        Outcome call() throws IOException, InterruptedException;
    }

    private static Measure measure(GitHttpServer server, Run run) throws IOException, InterruptedException {
        long down = server.bytesSent();
        long up = server.bytesReceived();
        Outcome outcome = run.call().check();
        return new Measure(outcome.millis(), server.bytesSent() - down, server.bytesReceived() - up);
    }

    private static void report(String label, List<Measure> runs, double baselineMillis) {
        double millis = median(runs.stream().map(Measure::millis).toList());
        System.out.printf(Locale.ROOT, "%s: median %.0f ms (%.2fx), bytes down median %,.0f, bytes up median %,.0f%n", label,
                millis, millis / baselineMillis, median(runs.stream().map(m -> (double) m.bytesDown()).toList()),
                median(runs.stream().map(m -> (double) m.bytesUp()).toList()));
    }

    /** {@code withPath}: {@code --path} the app's directory; else the whole repository, as the depth-1 script edits it. */
    private Outcome ours(List<String> gitopsCommand, String url, Path password, int app, String tag, Path directory, boolean withPath)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(gitopsCommand);
        command.addAll(List.of("update", "--repo", url, "--branch", "main", "--username", USER, "--password-file", password.toString(),
                "--image", IMAGE + "-" + app, "--tag", "2.0.0-" + tag,
                "--workdir", directory.toString(), "--max-attempts", "10"));
        if (withPath) {
            command.addAll(List.of("--path", "apps/app-" + app));
        }
        return time(command, "ours app-" + app);
    }

    /**
     * The seed-style script; {@code blobless}: the least the git CLI transfers, trees without blobs at depth 1 and then
     * only the blobs of the app's directory ({@code sparse-checkout set} fetches them).
     */
    private Outcome script(String url, int app, String tag, Path directory, boolean blobless) throws IOException, InterruptedException {
        String authenticated = url.replace("http://", "http://" + USER + ":" + PASSWORD + "@");
        String file = "apps/app-" + app + "/deployment.yaml";
        String clone = blobless
                ? "git clone -q --filter=blob:none --depth 1 --sparse --branch main '" + authenticated + "' '" + directory + "'\n"
                        + "cd '" + directory + "'\n"
                        + "git sparse-checkout set apps/app-" + app + "\n"
                : "git clone -q --depth 1 --branch main '" + authenticated + "' '" + directory + "'\n"
                        + "cd '" + directory + "'\n";
        String script = "set -e\n"
                + clone
                + "sed -i 's|image: " + IMAGE + "-" + app + ":[^ ]*|image: " + IMAGE + "-" + app + ":2.0.0-" + tag + "|' " + file + "\n"
                + "git commit -q -am 'Update " + IMAGE + "-" + app + " to 2.0.0-" + tag + " [skip ci]'\n"
                + "git push -q origin HEAD:main\n";
        return time(List.of("bash", "-c", script), "script app-" + app);
    }

    private Outcome time(List<String> command, String label) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        GitCli.isolate(builder.environment());
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        double millis = (System.nanoTime() - start) / 1e6;
        if (!finished) {
            process.destroyForcibly();
        }
        return new Outcome(label, finished ? process.exitValue() : -1, millis, start, output);
    }

    private List<Outcome> race(String url, Path password, int firstApp, boolean withOurs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrent);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                int app = firstApp + i;
                Path directory = work.resolve((withOurs ? "race-ours-" : "race-script-") + i);
                futures.add(pool.submit(() -> withOurs ? ours(gitops.get(0), url, password, app, "race", directory, true) : script(url, app, "race", directory, false)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Updates of this race whose commit is in the history since {@code before}. */
    private static int landed(Path bare, String before, List<Outcome> outcomes) {
        String log = GitCli.run(bare, "log", "--format=%s", before + "..main");
        int count = 0;
        for (Outcome outcome : outcomes) {
            String app = outcome.label().substring(outcome.label().indexOf("app-") + "app-".length());
            if (log.contains(IMAGE + "-" + app + " ")) {
                count++;
            }
        }
        return count;
    }

    private static long failures(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.exit() != 0).count();
    }

    private static double wall(List<Outcome> outcomes) {
        long start = outcomes.stream().mapToLong(Outcome::startNanos).min().orElse(0);
        double end = outcomes.stream().mapToDouble(o -> o.startNanos() / 1e6 + o.millis()).max().orElse(0);
        return end - start / 1e6;
    }

    /** From each updater's "Pushed SHA to BRANCH[ after N attempts]" line on stderr. */
    private static String attempts(List<Outcome> outcomes) {
        java.util.regex.Pattern pushed = java.util.regex.Pattern.compile("Pushed \\S+ to \\S+(?: after (\\d+) attempts)?");
        List<String> values = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            java.util.regex.Matcher line = pushed.matcher(outcome.output());
            values.add(!line.find() ? "-" : line.group(1) == null ? "1" : line.group(1));
        }
        values.sort(java.util.Comparator.comparingInt(v -> v.equals("-") ? Integer.MAX_VALUE : Integer.parseInt(v)));
        return String.join(",", values);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long packKb(Path bare) throws IOException {
        try (var files = Files.walk(bare.resolve("objects/pack"))) {
            return files.filter(p -> p.toString().endsWith(".pack")).mapToLong(p -> p.toFile().length()).sum() / 1024;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private record Outcome(String label, int exit, double millis, long startNanos, String output) {
        Outcome check() {
            if (exit != 0) {
                throw new IllegalStateException(label + " failed with exit code " + exit + ":\n" + output);
            }
            return this;
        }
    }
}
