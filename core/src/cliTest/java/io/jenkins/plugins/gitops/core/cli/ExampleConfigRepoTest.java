package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's first command: a dry run over the example config repository shipped in examples/. */
class ExampleConfigRepoTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "config-repo");

    @Test
    void readmeDryRunShowsAChangeForEveryShapeAndWritesNothing() throws IOException {
        List<byte[]> before = contents();
        Gitops.Result result = Gitops.run("set-image", EXAMPLE.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0", "--dry-run");

        assertThat(result.exit()).as(result.err()).isEqualTo(ExitCode.OK.code());
        assertThat(result.out()).contains(
                "+++ b/apps/guestbook/base/deployment.yaml",
                "+++ b/apps/guestbook/overlays/staging/kustomization.yaml",
                "+++ b/apps/guestbook/overlays/production/kustomization.yaml",
                "+++ b/apps/guestbook-chart/values-production.yaml",
                "+++ b/argocd/guestbook-preview.yaml");
        assertThat(result.out().lines().filter(l -> l.matches("^[-+](?![-+]{2} ).*")))
                .as("changed lines").hasSize(10).noneMatch(l -> l.contains("statsd-exporter"));
        assertThat(contents()).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(before);
    }

    private static List<byte[]> contents() throws IOException {
        List<byte[]> contents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                contents.add(Files.readAllBytes(file));
            }
        }
        return contents;
    }
}
