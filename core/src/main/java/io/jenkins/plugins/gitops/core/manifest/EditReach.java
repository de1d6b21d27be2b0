package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.TreeFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The files of a repository that an edit can read or change, told from their names and contents before any of them is
 * on disk: a clone writes only these, and the edit finds on disk exactly what it would find in the whole work tree.
 * It mirrors what the edit's walk looks at: manifest names ({@code .yaml}, {@code .yml}, {@code .json},
 * {@code Kustomization}) that pass the {@link ReferenceScreen} (or, for {@link TargetKind#KUSTOMIZATION}, every
 * kustomization); files the walk refuses by name (too large) or checks by name (links, a chart's {@code Chart.yaml},
 * which hides its {@code templates/}); and every file a request names.
 */
public final class EditReach {


    private final List<Request> requests;
    private final long maxFileBytes;

    private record Request(Set<String> namedFiles, boolean kustomizationsOnly, ReferenceScreen screen) {}

    private EditReach(List<Request> requests, long maxFileBytes) {
        this.requests = requests;
        this.maxFileBytes = maxFileBytes;
    }

    /**
     * The reach of {@code requests}, each relative to the repository root, with {@link ManifestEditor.Limits#DEFAULT};
     * empty when one of them may read any file under its paths (an {@code .argocd-source} file's request looks at its
     * directory's files by name).
     */
    public static Optional<EditReach> of(List<EditRequest> requests) {
        if (requests.stream().anyMatch(request -> request.kind() == TargetKind.ARGOCD_SOURCE)) {
            return Optional.empty();
        }
        long maxFileBytes = ManifestEditor.Limits.DEFAULT.maxFileBytes();
        return Optional.of(new EditReach(requests.stream()
                .map(request -> new Request(
                        request.paths().stream().map(EditReach::normalized).collect(Collectors.toSet()),
                        request.kind() == TargetKind.KUSTOMIZATION,
                        new ReferenceScreen(ReferenceScreen.shortNames(request.updates()), maxFileBytes)))
                .toList(), maxFileBytes));
    }

    /** Whether the edit can read or change {@code file} (or must see it to refuse it, as it would on disk). */
    public boolean reaches(TreeFile file) throws IOException {
        String path = file.path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (file.symbolicLink() || name.equals("Chart.yaml")) {
            return true;
        }
        if (requests.stream().anyMatch(request -> request.namedFiles().contains(path))) {
            return true;
        }
        if (!FileScope.isManifestName(name)) {
            return false;
        }
        if (requests.stream().anyMatch(request -> request.kustomizationsOnly() && KustomizationImages.isKustomizationFile(name))) {
            return true;
        }
        if (requests.stream().allMatch(Request::kustomizationsOnly)) {
            return false;
        }
        if (file.size() > maxFileBytes) {
            return true;
        }
        byte[] content = file.content();
        return requests.stream().anyMatch(request -> !request.kustomizationsOnly() && request.screen().passes(content));
    }

    private static String normalized(String path) {
        return Path.of(path).normalize().toString().replace('\\', '/');
    }
}
