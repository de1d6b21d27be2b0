package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files an edit looks at: the request's paths (files or directories) under the root, walked without
 * following symbolic links. A path outside the root, directly or through a link, is refused. Skipped:
 * {@code .git}, and the {@code templates/} directory of a Helm chart (Go templates, not data).
 */
final class FileScope {

    /** A candidate file: its path relative to the root ({@code /} separated), on disk, and its size. */
    record Candidate(String relative, Path path, long size) {
        String fileName() {
            return relative.substring(relative.lastIndexOf('/') + 1);
        }
    }

    private final Path root;
    private final Path realRoot;
    private final String separator;

    FileScope(Path root) {
        this.root = root;
        this.separator = root.getFileSystem().getSeparator();
        try {
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new ManifestEditException(Problem.PATH_NOT_FOUND, root.toString(), 0,
                    "the repository root does not exist or cannot be read", e);
        }
    }

    /** Resolves one relative path, refusing {@code ..} and links that leave the root. */
    Path resolve(String relative) {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root)) {
            throw new ManifestEditException(Problem.PATH_OUTSIDE_ROOT, relative, 0,
                    "the path leaves the repository root; give a path inside it");
        }
        Path existing = resolved;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null) {
            try {
                if (!existing.toRealPath().startsWith(realRoot)) {
                    throw new ManifestEditException(Problem.PATH_OUTSIDE_ROOT, relative, 0,
                            "the path leads outside the repository root through a symbolic link; refused");
                }
            } catch (IOException e) {
                throw new ManifestEditException(Problem.PATH_OUTSIDE_ROOT, relative, 0,
                        "the path goes through a broken symbolic link; refused", e);
            }
        }
        return resolved;
    }

    /** The candidate files under {@code paths} (the whole root when empty), each once, in no particular order. */
    List<Candidate> collect(List<String> paths) {
        List<Candidate> found = new ArrayList<>();
        for (String relative : paths.isEmpty() ? List.of("") : paths) {
            Path start = relative.isEmpty() ? root : resolve(relative);
            if (!Files.exists(start)) {
                throw new ManifestEditException(Problem.PATH_NOT_FOUND, relative, 0, "no such file or directory");
            }
            try {
                Path real = start.toRealPath();
                if (Files.isRegularFile(real)) {
                    found.add(new Candidate(relativize(real), real, Files.size(real)));
                } else {
                    walk(real, found);
                }
            } catch (IOException e) {
                throw new ManifestEditException(Problem.IO_ERROR, relative, 0, "cannot read: " + e.getMessage(), e);
            }
        }
        if (paths.size() < 2) {
            return found;
        }
        Set<String> seen = new HashSet<>();
        return found.stream().filter(candidate -> seen.add(candidate.relative())).toList();
    }

    /** One existing file as a candidate. */
    Candidate candidate(String relative, Path file) {
        try {
            return new Candidate(relative, file, Files.size(file));
        } catch (IOException e) {
            throw new ManifestEditException(Problem.IO_ERROR, relative, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The path relative to the root, {@code /} separated. */
    String relativize(Path path) {
        Path base = path.startsWith(realRoot) ? realRoot : root;
        return base.relativize(path).toString().replace('\\', '/');
    }

    private void walk(Path directory, List<Candidate> found) throws IOException {
        // Every walked path starts with the real root's text: relative paths are sliced off it, not relativized.
        String prefix = realRoot.toString().endsWith(separator) ? realRoot.toString() : realRoot + separator;
        walk(directory, prefix, found);
    }

    /** Recursion over directory streams: lighter than Files.walkFileTree, one lstat per entry. */
    private void walk(Path directory, String prefix, List<Candidate> found) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                // An entry's text is its directory's, a separator and its name: slice the name off it.
                String text = entry.toString();
                String name = text.substring(text.lastIndexOf(separator) + 1);
                BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isDirectory()) {
                    if (!name.equals(".git") && !(name.equals("templates") && Files.exists(entry.resolveSibling("Chart.yaml")))) {
                        walk(entry, prefix, found);
                    }
                } else if (isManifestName(name)) {
                    if (attrs.isSymbolicLink()) {
                        Path target = entry.toRealPath();
                        if (!target.startsWith(realRoot)) {
                            throw new ManifestEditException(Problem.PATH_OUTSIDE_ROOT, relativize(entry), 0,
                                    "a symbolic link to " + target + ", outside the repository root; refused");
                        }
                        // The link's target is edited where it lives (when in scope), never through the link.
                    } else if (attrs.isRegularFile()) {
                        found.add(new Candidate(text.substring(prefix.length()).replace('\\', '/'), entry, attrs.size()));
                    }
                }
            }
        }
    }

    static boolean isManifestName(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json") || name.equals("Kustomization");
    }
}
