package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gitops} launcher at the root of the checkout, run as a newcomer runs it: in a copy of the checkout's
 * layout whose {@code mvnw} stands in for the minute-long Maven build (it counts its runs, waits, then puts a jar of
 * this build's classes where the real build puts {@code gitops.jar}).
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "gitops").toAbsolutePath().normalize();

    @TempDir
    Path checkout;

    private Path builds;

    @BeforeEach
    void layOutACheckoutWithAStaleJar() throws IOException {
        Files.copy(LAUNCHER, checkout.resolve("gitops"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(checkout.resolve("core/src/main/java"));
        Files.createDirectories(checkout.resolve("core/src/cli/java"));
        Files.writeString(checkout.resolve("core/pom.xml"), "<project/>\n");
        Path jar = checkout.resolve("built.jar");
        writeJarOfThisClassPath(jar);
        builds = checkout.resolve("builds");
        Path mvnw = checkout.resolve("mvnw");
        Files.writeString(mvnw, "#!/bin/sh\n"
                + "echo build >> '" + builds + "'\n"
                + "sleep 2\n"
                + "cp '" + jar + "' '" + checkout.resolve("core/target/gitops.jar") + "'\n");
        assertThat(mvnw.toFile().setExecutable(true)).isTrue();
    }

    @Test
    void runsStartedTogetherBuildOnceAndTheBuilderSaysSoInOneLine() throws Exception {
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(new ProcessBuilder(checkout.resolve("gitops").toString(), "--version").start());
        }
        List<String> errors = new ArrayList<>();
        for (Process run : runs) {
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(run.exitValue()).as(err).isZero();
            assertThat(out).startsWith("gitops ");
            errors.add(err);
        }

        assertThat(Files.readAllLines(builds)).as("one build for three runs").containsExactly("build");
        assertThat(String.join("", errors).lines().collect(Collectors.toList())).as("what the runs said on stderr")
                .containsExactly("gitops: building core/target/gitops.jar from the sources (about a minute, once per change)");
    }

    @Test
    void aFreshJarIsNotBuiltAgain() throws Exception {
        Process first = new ProcessBuilder(checkout.resolve("gitops").toString(), "--version").start();
        first.getInputStream().readAllBytes();
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).isTrue();

        Process second = new ProcessBuilder(checkout.resolve("gitops").toString(), "--version").start();
        String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        second.getInputStream().readAllBytes();
        assertThat(second.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(second.exitValue()).as(err).isZero();
        assertThat(err).isEmpty();
        assertThat(Files.readAllLines(builds)).containsExactly("build");
    }

    @Test
    void aMaximumHeapTheCallerGivesBelowTheLaunchersInitialHeapStillStarts() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(checkout.resolve("gitops").toString(), "--version");
        builder.environment().put("GITOPS_JAVA_OPTS", "-Xmx16m");
        Process run = builder.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(run.exitValue()).as(err).isZero();
        assertThat(out).startsWith("gitops ");
    }

    /** A jar with no classes of its own: its manifest runs {@link Main} from this test's class path. */
    private static void writeJarOfThisClassPath(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
                        .collect(Collectors.joining(" ")));
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.flush();
        }
    }
}
