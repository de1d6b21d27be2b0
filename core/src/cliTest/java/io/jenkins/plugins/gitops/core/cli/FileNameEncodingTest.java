package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-ASCII file name ({@code apps/café/déploiement.yaml}) under the locales of CI containers and agents: a JVM in
 * the C locale reads file names in ASCII and cannot open such a file, so it refuses naming the file and the remedy,
 * writing nothing; in a UTF-8 locale, which the launcher sets for every run, the file is edited.
 */
class FileNameEncodingTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
            """;

    @TempDir
    Path repo;

    /** Made by the shell from octal escapes, so that it works whatever this JVM's own file name encoding. */
    @BeforeEach
    void writeTheFileWithANonAsciiName() throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "d=\"$1/apps/$(printf 'caf\\303\\251')\" && mkdir -p \"$d\""
                + " && cat > \"$d/$(printf 'd\\303\\251ploiement').yaml\"", "sh", repo.toString())
                .redirectErrorStream(true).start();
        sh.getOutputStream().write(DEPLOYMENT.getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as(output).isZero();
    }

    @Test
    void inTheCLocaleTheRunRefusesNamingTheFileAndTheRemedyAndWritesNothing() throws Exception {
        Map<String, String> before = contents();

        Run run = setImage(Map.of("LANG", "C"));

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(run.err()).startsWith("gitops set-image: apps/caf").contains("ploiement.yaml: the file name cannot be"
                + " read in this JVM's file name encoding, ANSI_X3.4-1968: run Java in a UTF-8 locale (LC_ALL=C.UTF-8),"
                + " as the gitops launcher does\n").doesNotContain("Exception");
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void inTheUtf8LocaleTheLauncherSetsTheFileIsEdited() throws Exception {
        Run run = setImage(Map.of("LANG", "C", "LC_ALL", "C.UTF-8"));

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK.code());
        assertThat(contents().values()).singleElement().asString().contains("image: nginx:1.26\n");
    }

    private record Run(int exit, String err) {}

    private Run setImage(Map<String, String> locale) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "set-image", repo.toString(), "--image", "nginx", "--tag", "1.26");
        builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("LANG"));
        builder.environment().putAll(locale);
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), err);
    }

    /** Every regular file with its content, walked from paths as the file system gives them (no name decoding). */
    private Map<String, String> contents() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(repo)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
