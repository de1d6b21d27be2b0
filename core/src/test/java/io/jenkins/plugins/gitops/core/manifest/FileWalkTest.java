package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the walk meets besides regular manifests: links that lead nowhere and special files are passed over, a special
 * file given as a path and text in another Unicode encoding are refused naming the file; nothing hangs.
 */
class FileWalkTest extends ConfigRepoTestCase {

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

    /** Something next to {@code apps/web/deploy.yaml}, made in the repository. */
    interface Setup {
        void make(Path root) throws IOException, InterruptedException;
    }

    static Stream<Arguments> passedOver() {
        return Stream.of(
                Arguments.of("a dangling link", (Setup) root -> Files.createSymbolicLink(root.resolve("apps/gone.yaml"),
                        root.resolve("apps/nowhere.yaml"))),
                Arguments.of("a link to itself", (Setup) root -> Files.createSymbolicLink(root.resolve("apps/self.yaml"),
                        root.resolve("apps/self.yaml"))),
                Arguments.of("two links in a loop", (Setup) root -> {
                    Files.createSymbolicLink(root.resolve("apps/a.yaml"), root.resolve("apps/b.yaml"));
                    Files.createSymbolicLink(root.resolve("apps/b.yaml"), root.resolve("apps/a.yaml"));
                }),
                Arguments.of("a FIFO", (Setup) root -> mkfifo(root.resolve("apps/pipe.yaml"))));
    }

    @ParameterizedTest(name = "{0} under the directory is passed over")
    @MethodSource("passedOver")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theEditGoesOnPastFilesThatHoldNothingToEdit(String name, Setup setup) throws Exception {
        repo.write("apps/web/deploy.yaml", DEPLOYMENT);
        setup.make(dir);

        EditReport report = repo.apply(ImageUpdate.tag("nginx", "1.26"));

        assertThat(report.changes()).extracting(Change::file).containsExactly("apps/web/deploy.yaml");
        assertThat(repo.read("apps/web/deploy.yaml")).contains("image: nginx:1.26\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherEncodings")
    void textInAnotherUnicodeEncodingIsRefusedNamingTheFileAndTheEncoding(String encoding, byte[] bom) {
        repo.write("apps/web/deploy.yaml", DEPLOYMENT);
        byte[] text = DEPLOYMENT.getBytes(Charset.forName(encoding));
        byte[] file = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, file, 0, bom.length);
        System.arraycopy(text, 0, file, bom.length, text.length);
        repo.writeBytes("apps/other/deploy.yaml", file);

        assertRefused(() -> repo.apply(ImageUpdate.tag("nginx", "1.26")), Problem.BINARY_FILE,
                "apps/other/deploy.yaml: " + encoding + " text (byte order mark); only UTF-8 YAML or JSON text can be"
                        + " edited: convert it, e.g. iconv -f " + encoding + " -t UTF-8");
    }

    static Stream<Arguments> otherEncodings() {
        return Stream.of(
                Arguments.of("UTF-16LE", new byte[] {(byte) 0xFF, (byte) 0xFE}),
                Arguments.of("UTF-16BE", new byte[] {(byte) 0xFE, (byte) 0xFF}),
                Arguments.of("UTF-32LE", new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}),
                Arguments.of("UTF-32BE", new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}));
    }

    @ParameterizedTest(name = "given as {0}")
    @MethodSource("fifoPaths")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFifoGivenAsThePathIsRefusedNamingItInsteadOfBlocking(String given) throws Exception {
        repo.write("apps/web/deploy.yaml", DEPLOYMENT);
        mkfifo(dir.resolve("apps/pipe.yaml"));

        assertRefused(() -> repo.apply(EditRequest.of(ImageUpdate.tag("nginx", "1.26")).withPaths(List.of(given))),
                Problem.PATH_NOT_FOUND, given + ": neither a regular file nor a directory (a FIFO, a socket or a device)");
    }

    static Stream<String> fifoPaths() {
        return Stream.of("apps/pipe.yaml", "apps/web/../pipe.yaml");
    }

    private void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable edit, Problem problem, String message) {
        Map<String, String> before = repo.snapshot();
        assertThatThrownBy(edit).isInstanceOfSatisfying(ManifestEditException.class,
                e -> assertThat(e.problem()).isEqualTo(problem)).hasMessageContaining(message);
        assertThat(repo.snapshot()).as("no file changed").isEqualTo(before);
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        String output = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).as(output).isZero();
    }
}
