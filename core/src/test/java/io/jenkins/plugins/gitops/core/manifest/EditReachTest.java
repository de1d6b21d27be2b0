package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.TreeFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link EditReach} keeps is what the edit reads on disk: each case also runs the edit on the whole tree and on
 * the files the reach keeps, and both must report the same.
 */
class EditReachTest {

    @TempDir
    Path temp;

    private static final String IMAGE = "ghcr.io/acme/guestbook";

    private static EditRequest request(TargetKind kind, String... paths) {
        return new EditRequest(List.of(new ImageUpdate(IMAGE, null, "2.0.0", null)), List.of(paths), kind, List.of(), List.of(), null);
    }

    private record File(String path, boolean symbolicLink, byte[] bytes) implements TreeFile {
        static File of(String path, String content) {
            return new File(path, false, content.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public byte[] content() {
            return bytes;
        }
    }

    private static final String DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: guestbook\nspec:\n"
            + "  template:\n    spec:\n      containers:\n        - name: app\n          image: " + IMAGE + ":1.0.0\n";

    private static final List<File> TREE = List.of(
            File.of("apps/guestbook/deployment.yaml", DEPLOYMENT),
            File.of("apps/guestbook/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: guestbook\n"),
            File.of("apps/guestbook/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                    + "resources:\n  - deployment.yaml\n"),
            File.of("apps/other/deployment.yaml", DEPLOYMENT.replace("guestbook", "other")),
            File.of("apps/guestbooks/deployment.yaml", DEPLOYMENT.replace("guestbook", "guestbooks")),
            File.of("charts/guestbook/Chart.yaml", "apiVersion: v2\nname: guestbook\nversion: 1.0.0\n"),
            File.of("charts/guestbook/templates/deployment.yaml", DEPLOYMENT),
            File.of("README.md", "guestbook lives here\n"),
            new File("apps/link.yaml", true, "guestbook/deployment.yaml".getBytes(StandardCharsets.UTF_8)));

    private List<String> kept(EditRequest request) throws IOException {
        EditReach reach = EditReach.of(List.of(request)).orElseThrow();
        List<String> kept = new java.util.ArrayList<>();
        for (File file : TREE) {
            if (reach.reaches(file)) {
                kept.add(file.path());
            }
        }
        return kept;
    }

    @Test
    void keepsTheFilesThatNameTheImageAndThoseTheWalkChecksByName() throws IOException {
        // service.yaml names guestbook as a whole name part; guestbooks does not, nor does the README (not a manifest)
        assertThat(kept(request(TargetKind.AUTO))).containsExactly(
                "apps/guestbook/deployment.yaml", "apps/guestbook/service.yaml", "charts/guestbook/Chart.yaml",
                "charts/guestbook/templates/deployment.yaml", "apps/link.yaml");
    }

    @Test
    void keepsEveryKustomizationForTheKustomizationKind() throws IOException {
        assertThat(kept(request(TargetKind.KUSTOMIZATION))).containsExactly(
                "apps/guestbook/kustomization.yaml", "charts/guestbook/Chart.yaml", "apps/link.yaml");
    }

    @Test
    void keepsAFileTheRequestNamesWhateverItHolds() throws IOException {
        assertThat(kept(request(TargetKind.AUTO, "apps/guestbook/service.yaml"))).contains("apps/guestbook/service.yaml");
        assertThat(kept(request(TargetKind.AUTO, "./README.md"))).contains("README.md");
    }

    @Test
    void keepsAManifestTooLargeToRead() throws IOException {
        EditReach reach = EditReach.of(List.of(request(TargetKind.AUTO))).orElseThrow();
        TreeFile large = new TreeFile() {
            @Override
            public String path() {
                return "big.yaml";
            }

            @Override
            public boolean symbolicLink() {
                return false;
            }

            @Override
            public long size() {
                return ManifestEditor.Limits.DEFAULT.maxFileBytes() + 1;
            }

            @Override
            public byte[] content() {
                throw new AssertionError("a file over the limit is kept by its size, never read");
            }
        };
        assertThat(reach.reaches(large)).isTrue();
    }

    @Test
    void hasNoReachForAnArgocdSourceFile() {
        EditRequest request = new EditRequest(List.of(new ImageUpdate(IMAGE, null, "2.0.0", null)), List.of("apps/guestbook"),
                TargetKind.ARGOCD_SOURCE, List.of(), List.of(), "guestbook");
        assertThat(EditReach.of(List.of(request))).isEmpty();
    }

    @Test
    void theEditFindsTheSameInTheKeptFilesAsInTheWholeTree() throws IOException {
        Path whole = write(temp.resolve("whole"), TREE);
        List<String> keptPaths = kept(request(TargetKind.AUTO));
        Path sparse = write(temp.resolve("sparse"), TREE.stream().filter(file -> keptPaths.contains(file.path())).toList());

        EditReport onWhole = new ManifestEditor(whole).apply(request(TargetKind.AUTO));
        EditReport onSparse = new ManifestEditor(sparse).apply(request(TargetKind.AUTO));

        assertThat(onSparse.changedFiles()).isEqualTo(onWhole.changedFiles()).containsExactly("apps/guestbook/deployment.yaml");
        assertThat(Files.readString(sparse.resolve("apps/guestbook/deployment.yaml")))
                .isEqualTo(Files.readString(whole.resolve("apps/guestbook/deployment.yaml")));
    }

    private static Path write(Path root, List<File> files) throws IOException {
        for (File file : files) {
            Path target = root.resolve(file.path());
            Files.createDirectories(target.getParent());
            if (file.symbolicLink()) {
                Files.createSymbolicLink(target, Path.of(new String(file.bytes(), StandardCharsets.UTF_8)));
            } else {
                Files.write(target, file.bytes());
            }
        }
        return root;
    }
}
