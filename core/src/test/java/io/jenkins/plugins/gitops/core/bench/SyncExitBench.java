package io.jenkins.plugins.gitops.core.bench;

import static io.jenkins.plugins.gitops.core.bench.BenchHarness.intArg;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.sha;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationControllerSimulator;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whole-process benchmark of {@code gitops sync}: the time from the outcome line on stdout to the process's exit, on
 * the Argo CD API path (the in-process fake Argo CD) and on the Kubernetes API path (fabric8's mock server with the
 * Application resource). On JDK 17 a JDK HttpClient selector thread still in native code holds the JVM's exit for
 * up to about 300 ms; this shows whether the CLI ends them. Each {@code --jar}, and each {@code --java-options} (JVM
 * options added to the launcher's, to try one before the launcher takes it), makes contenders; the rounds alternate
 * them. Run with {@code bench/sync-exit.sh [--rounds N] [--jar PATH]... [--java-options "OPTIONS"]...}.
 */
public final class SyncExitBench {

    /** The launcher's JVM options, without the class data archive. */
    private static final List<String> JAVA = LauncherOptions.java();

    private static final String VIA_ARGO = " Argo CD API";
    private static final String VIA_KUBE = " Kubernetes API";

    /** The mock server logs every request; held here so that the level stays set. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        int rounds = intArg(args, "--rounds", 15);
        List<Path> jars = new ArrayList<>();
        List<String> optionSets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--jar")) {
                jars.add(Path.of(args[++i]).toAbsolutePath());
            } else if (args[i].equals("--java-options")) {
                optionSets.add(args[++i].strip());
            }
        }
        if (jars.isEmpty()) {
            jars.add(Path.of("core/target/gitops.jar").toAbsolutePath());
        }
        if (optionSets.isEmpty()) {
            optionSets.add("");
        }
        List<Contender> contenders = new ArrayList<>();
        for (Path jar : jars) {
            for (String options : optionSets) {
                contenders.add(new Contender(jar, options.isEmpty() ? List.of() : List.of(options.split("\\s+"))));
            }
        }
        Path dir = Files.createTempDirectory("gitops-sync-exit-");
        System.out.printf(Locale.ROOT, "gitops sync, outcome line -> process exit; JVM %s, %d CPUs, %d rounds%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), rounds);
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        try (FakeArgoCd argo = FakeArgoCd.builder().withoutContractValidation().start();
                ApplicationCrServer kube = ApplicationCrServer.start();
                KubernetesClient controllerClient = kube.newClient();
                ApplicationControllerSimulator controller = ApplicationControllerSimulator.start(kube, controllerClient)) {
            argo.setRevision("main", sha(0));
            argo.createApp("guestbook");
            Path token = Files.writeString(dir.resolve("token"), argo.issueToken(FakeArgoCd.USERNAME));
            kube.create(ApplicationCrServer.exampleApplication("guestbook"));
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kube.kubeconfig("bench-token"));
            for (int round = -1; round < rounds; round++) { // round -1 warms the servers and the page cache
                for (Contender contender : contenders) {
                    String revision = sha(1000L * (round + 2) + contenders.indexOf(contender));
                    argo.setRevision("main", revision);
                    Run viaArgo = run(contender, "sync", "--server", argo.url(), "--token-file", token.toString(), "--app", "guestbook",
                            "--revision", revision, "--timeout", "60s");
                    controller.resolving("main", revision);
                    Run viaKube = run(contender, "sync", "--kubeconfig", kubeconfig.toString(), "--app", "guestbook",
                            "--revision", revision, "--timeout", "60s");
                    if (round >= 0) {
                        runs.computeIfAbsent(contender + VIA_ARGO, k -> new ArrayList<>()).add(viaArgo);
                        runs.computeIfAbsent(contender + VIA_KUBE, k -> new ArrayList<>()).add(viaKube);
                    }
                }
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.println();
        System.out.println("| contender | outcome line -> exit, median | min | max | whole process, median"
                + " | line -> exit / first contender's, paired median |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        String first = contenders.get(0).toString();
        runs.forEach((label, list) -> {
            double[] exit = list.stream().mapToDouble(Run::lineToExitMillis).sorted().toArray();
            double[] whole = list.stream().mapToDouble(Run::wholeMillis).sorted().toArray();
            // Same round, same path: the load of that moment divides out.
            List<Run> baseline = runs.get(first + (label.endsWith(VIA_ARGO) ? VIA_ARGO : VIA_KUBE));
            double[] ratios = new double[list.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = list.get(i).lineToExitMillis() / baseline.get(i).lineToExitMillis();
            }
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.1f ms | %.0f ms | %.2fx |%n",
                    label, exit[exit.length / 2], exit[0], exit[exit.length - 1], whole[whole.length / 2],
                    ratios[ratios.length / 2]);
        });
    }

    private record Run(double lineToExitMillis, double wholeMillis) {}

    /** A jar run with the launcher's options plus {@code extraOptions}. */
    private record Contender(Path jar, List<String> extraOptions) {
        @Override
        public String toString() {
            return extraOptions.isEmpty() ? jar.toString() : jar + " " + String.join(" ", extraOptions);
        }
    }

    private static Run run(Contender contender, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(JAVA);
        command.addAll(contender.extraOptions());
        command.add("-jar");
        command.add(contender.jar().toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process process = builder.start();
        long lastLine = 0;
        String last = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lastLine = System.nanoTime();
                last = line;
            }
        }
        // stdout closes when the JVM's file descriptors do, at the very end: the exit is what waitFor sees.
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        long exited = System.nanoTime();
        if (process.exitValue() != 0 || lastLine == 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + last);
        }
        return new Run((exited - lastLine) / 1e6, (exited - start) / 1e6);
    }
}
