package io.jenkins.plugins.gitops.core.update;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One place in a git repository where an Application's image may be set: the directory of a source, or the value
 * files a chart source takes from another source's repository ({@code $ref/...}).
 *
 * @param label how messages name it, e.g. {@code source 2 (apps/guestbook)}
 * @param path the source's directory, repository-relative and normalised ({@code ""} for the root)
 * @param kind the kind the Application declares (a {@code kustomize:}, {@code helm:} or {@code directory:} block);
 *     empty to decide from the files, as Argo CD does
 * @param valueFiles for Helm: the value files, repository-relative; empty means the chart's {@code values.yaml}
 * @param recurse for a directory: whether sub-directories count ({@code directory.recurse})
 * @param valuesOnly true for the value files of a chart from another repository: only they may be edited
 */
public record SourceTarget(String label, String path, Optional<SourceKind> kind, List<String> valueFiles, boolean recurse,
                           boolean valuesOnly) {

    /** How Argo CD renders a source, so where its image is set. */
    public enum SourceKind {
        /** A kustomization: its {@code images:}. */
        KUSTOMIZE,
        /** A Helm chart: its value files. */
        HELM,
        /** Plain manifests: the workloads' container images. */
        DIRECTORY
    }

    public SourceTarget {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        valueFiles = List.copyOf(valueFiles);
    }

    /** What a clone must write to disk for this target: the directory, and value files outside it. */
    List<String> checkoutPaths() {
        if (valuesOnly) {
            return valueFiles;
        }
        if (path.isEmpty()) {
            return List.of();
        }
        List<String> paths = new java.util.ArrayList<>(List.of(path));
        valueFiles.stream().filter(file -> !file.startsWith(path + "/")).forEach(paths::add);
        return paths;
    }
}
