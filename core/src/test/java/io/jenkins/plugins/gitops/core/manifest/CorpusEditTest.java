package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Every real-world file of the shared corpus: each image that appears in it is updated in turn, and the
 * result must differ from the original only on the reported lines, only in the edited value.
 */
class CorpusEditTest {

    private static final String NEW_TAG = "9.9.9-corpus";

    @TempDir
    Path work;

    @Test
    void updatesEveryImageInEveryCorpusFileTouchingOnlyTargetValues() throws IOException, InterruptedException {
        Path corpus = SharedData.require("corpus");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> FileScope.isManifestName(p.getFileName().toString())).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
        Map<String, Integer> changesPerFile = new TreeMap<>();
        for (Path file : files) {
            String relative = corpus.relativize(file).toString();
            byte[] original = Files.readAllBytes(file);
            for (String image : candidateImages(original)) {
                Path repo = Files.createTempDirectory(work, "repo");
                Path copy = repo.resolve(relative);
                Files.createDirectories(copy.getParent());
                Files.write(copy, original);
                EditReport report = new ManifestEditor(repo).apply(
                        EditRequest.of(ImageUpdate.tag(image, NEW_TAG)).withPaths(List.of(relative)));
                byte[] after = Files.readAllBytes(copy);
                if (report.outcome() != EditReport.Outcome.CHANGED) {
                    assertThat(after).as("%s unchanged for %s", relative, image).isEqualTo(original);
                    continue;
                }
                changesPerFile.merge(relative, report.changes().size(), Integer::sum);
                TargetLines.assertOnlyTargetsChanged(work, relative + " (" + image + ")",
                        new String(original, StandardCharsets.UTF_8), new String(after, StandardCharsets.UTF_8),
                        report.changes());
            }
        }
        // The files that hold editable image fields; the others hold images only in comments, strings or CR fields.
        assertThat(changesPerFile).containsKeys(
                "helm/bitnami-nginx.values.yaml", "helm/bitnami-postgresql.values.yaml", "helm/bitnami-kafka.values.yaml",
                "helm/kube-prometheus-stack.values.yaml", "helm/grafana.values.yaml", "helm/argo-cd.values.yaml",
                "helm/ingress-nginx.values.yaml", "helm/podinfo.values.yaml", "helm/image-updater-non-live-images.values.yaml",
                "kustomize/argo-cd-base.kustomization.yaml", "kustomize/argo-cd-redis.kustomization.yaml",
                "kustomize/argo-cd-test-remote.kustomization.yaml", "kustomize/argo-cd-monorepo-hello-world.kustomization.yaml",
                "kustomize/kustomize-transformerconfigs-images.kustomization.yaml", "kustomize/flux-setters.kustomization.yml",
                "kustomize/argocd-source-multi/.argocd-source.yaml", "kustomize/argocd-source-multi/.argocd-source-testapp.yaml",
                "manifests/argo-cd-namespace-install.yaml", "manifests/argo-cd-redis-ha-upstream.yaml",
                "manifests/ingress-nginx-exoscale-deploy.yaml", "manifests/podinfo-cronjob-warm-cache.yaml",
                "manifests/flux-commented-deployment.yaml", "manifests/elasticsearch-statefulset-live.json",
                "argocd/application-reference.yaml", "argocd/kargo-argocd-update.applicationset.yaml");
        assertThat(changesPerFile).doesNotContainKeys("kustomize/argo-cd-dev-tilt.kustomization.yaml");
    }

    @Test
    void leavesEveryCorpusFileByteIdenticalWhenTheImageIsAbsentOrElsewhere() throws IOException {
        Path corpus = SharedData.require("corpus");
        Path repo = Files.createDirectory(work.resolve("whole"));
        try (Stream<Path> walk = Files.walk(corpus)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path copy = repo.resolve(corpus.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        ConfigRepo copy = new ConfigRepo(repo);
        Map<String, String> before = copy.snapshot();

        EditReport absent = copy.apply(ImageUpdate.tag("ghcr.io/acme/absent", "1.0"));
        assertThat(absent.outcome()).isEqualTo(EditReport.Outcome.NOT_FOUND);
        assertThat(copy.snapshot()).isEqualTo(before);

        EditReport dex = copy.apply(ImageUpdate.tag("ghcr.io/dexidp/dex", "v2.99.0"));
        assertThat(dex.changedFiles()).isNotEmpty();
        Map<String, String> after = copy.snapshot();
        before.forEach((file, content) -> {
            if (!dex.changedFiles().contains(file)) {
                assertThat(after.get(file)).as(file + " has no reference and stays byte-identical").isEqualTo(content);
            }
        });
    }

    /** Every string in the file that reads as an image reference, by name. */
    static Set<String> candidateImages(byte[] content) {
        Set<String> images = new TreeSet<>();
        LoaderOptions options = new LoaderOptions();
        for (Object document : new Yaml(options).loadAll(new String(content, StandardCharsets.UTF_8))) {
            collect(document, images);
        }
        return images;
    }

    private static void collect(Object node, Set<String> images) {
        if (node instanceof Map<?, ?> map) {
            Object registry = map.get("registry");
            Object repository = map.get("repository");
            if (map.get("name") instanceof String name
                    && (map.containsKey("newTag") || map.containsKey("newName") || map.containsKey("digest"))) {
                images.add(name);
            }
            if (repository instanceof String repo && !repo.isEmpty()) {
                add(registry instanceof String r && !r.isEmpty() ? r + "/" + repo : repo, images);
            }
            map.values().forEach(value -> collect(value, images));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, images));
        } else if (node instanceof String text && !text.contains("\n") && !text.contains(" ")) {
            add(text.contains("=") ? text.substring(text.indexOf('=') + 1) : text, images);
        }
    }

    private static void add(String text, Set<String> images) {
        if (ImageReference.isValid(text) && (text.contains("/") || text.contains(":"))) {
            images.add(ImageReference.parse(text).name());
        }
    }
}
