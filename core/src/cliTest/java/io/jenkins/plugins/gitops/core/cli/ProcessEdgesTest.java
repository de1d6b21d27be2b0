package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the process does at its edges: output it cannot write, and a SIGTERM from a cancelled CI job. */
class ProcessEdgesTest {

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
    Path temp;

    @Test
    void aResultThatCannotBeWrittenToStdoutNeverExitsZero() throws IOException {
        Path repo = Files.createDirectories(temp.resolve("repo"));
        Files.writeString(repo.resolve("deploy.yaml"), DEPLOYMENT);
        StringWriter err = new StringWriter();

        int exit = Main.run(new Environment(Map.of()), new PrintWriter(new FullDevice()), new PrintWriter(err),
                "set-image", repo.toString(), "--image", "nginx", "--tag", "1.26");

        assertThat(exit).as(err.toString()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(err.toString()).endsWith("gitops set-image: cannot write the output to stdout\n");
    }

    /** A stream on a full device: every write fails, as on {@code /dev/full}. */
    private static final class FullDevice extends Writer {
        @Override
        public void write(char[] text, int offset, int length) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void sigtermRemovesTheTemporaryCloneOfUpdate() throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        BareRepository bare = BareRepository.create(served, "config.git", "main", Map.of("deploy.yaml", DEPLOYMENT));
        Path pushing = temp.resolve("pushing");
        // The push stalls in the server's hook: the clone exists, and the run is in the middle of its work.
        bare.installHook("pre-receive", "#!/bin/sh\ncat >/dev/null\ntouch '" + pushing + "'\nsleep 20\n");
        Path password = Files.writeString(temp.resolve("password"), "s3cret-pw\n");
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        try (GitHttpServer server = GitHttpServer.start(served, "deployer", "s3cret-pw")) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process update = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "update",
                    "--repo", server.url(bare.name()), "--username", "deployer", "--password-file", password.toString(),
                    "--image", "nginx", "--tag", "1.26")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(temp.resolve("update.err").toFile())
                    .start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!Files.exists(pushing) && update.isAlive()) {
                    assertThat(System.nanoTime()).as("the push reached the hook").isLessThan(deadline);
                    Thread.sleep(50);
                }
                assertThat(update.isAlive()).as(Files.readString(temp.resolve("update.err"))).isTrue();
                assertThat(clones(tmp)).as("the clone exists while the push runs").hasSize(1);

                update.destroy(); // SIGTERM

                assertThat(update.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                update.destroyForcibly();
            }
            assertThat(clones(tmp)).as(Files.readString(temp.resolve("update.err"), StandardCharsets.UTF_8)).isEmpty();
        }
    }

    private static List<Path> clones(Path tmp) throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith("gitops-update-")).toList();
        }
    }
}
