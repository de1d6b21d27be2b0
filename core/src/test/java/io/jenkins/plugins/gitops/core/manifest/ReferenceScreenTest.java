package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceScreenTest {

    @TempDir
    Path root;

    @Test
    void keepsOnlyFilesNamingTheImageAsAWholeNamePartSortedByPath() throws IOException {
        List<FileScope.Candidate> candidates = new ArrayList<>();
        candidates.add(file("z-at-end.yaml", "image: acme/target"));
        candidates.add(file("a-tagged.yaml", "image: ghcr.io/acme/target:1.2\n"));
        candidates.add(file("m-start.yaml", "target@sha256:00\n"));
        candidates.add(file("plural.yaml", "targets: 3\n"));
        candidates.add(file("worker.yaml", "image: acme/target-worker:1\n"));
        candidates.add(file("deeper.yaml", "image: acme/target/sub:1\n"));
        candidates.add(file("suffix.yaml", "image: acme/subtarget:1\n"));
        candidates.add(file("overlap.yaml", "image: acme/targetarget, acme/ttarget\n"));

        List<ReferenceScreen.Screened> passed = screen(new ReferenceScreen(List.of("target"), 1 << 20), candidates);

        assertThat(passed).extracting(screened -> screened.candidate().relative())
                .containsExactly("a-tagged.yaml", "m-start.yaml", "z-at-end.yaml");
        assertThat(passed.get(0).bytes()).asString(StandardCharsets.UTF_8).isEqualTo("image: ghcr.io/acme/target:1.2\n");
    }

    @Test
    void aFileOverTheLimitIsAFailureInPathOrder() throws IOException {
        List<FileScope.Candidate> candidates = List.of(
                file("b-large.yaml", "image: other/app:1\n".repeat(10)), file("a.yaml", "image: target:1\n"));

        List<ReferenceScreen.Screened> passed = screen(new ReferenceScreen(List.of("target"), 100), candidates);

        assertThat(passed).extracting(screened -> screened.candidate().relative()).containsExactly("a.yaml", "b-large.yaml");
        assertThat(passed.get(1).failure().problem()).isEqualTo(ManifestEditException.Problem.FILE_TOO_LARGE);
    }

    /**
     * The walk gives each file's size as it saw it, and the read stops without looking for the end of file when the
     * file ends there: a file that has grown or shrunk since is still read whole, past the reused buffer too.
     */
    @Test
    void readsAFileWholeThatChangedSizeSinceTheWalkSawIt() throws IOException {
        String grown = "# padding\n".repeat(20_000) + "image: target:1\n";
        FileScope.Candidate grew = file("grew.yaml", grown);
        FileScope.Candidate shrank = file("shrank.yaml", "image: target:2\n");
        List<FileScope.Candidate> seenEarlier = List.of(
                new FileScope.Candidate(grew.relative(), grew.path(), 16),
                new FileScope.Candidate(shrank.relative(), shrank.path(), 4_000));

        List<ReferenceScreen.Screened> passed = screen(new ReferenceScreen(List.of("target"), 1 << 20), seenEarlier);

        assertThat(passed).extracting(screened -> new String(screened.bytes(), StandardCharsets.UTF_8))
                .containsExactly(grown, "image: target:2\n");
    }

    private static List<ReferenceScreen.Screened> screen(ReferenceScreen screen, List<FileScope.Candidate> candidates) {
        for (FileScope.Candidate candidate : candidates) {
            screen.visit(candidate, () -> Files.newByteChannel(candidate.path()));
        }
        return screen.passed();
    }

    private FileScope.Candidate file(String name, String text) throws IOException {
        Path path = Files.writeString(root.resolve(name), text);
        return new FileScope.Candidate(name, path, Files.size(path));
    }
}
