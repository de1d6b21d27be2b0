package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.FileNameEncoding;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
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

    /**
     * What a name that the JVM's file name encoding cannot decode (UTF-8 bytes under {@code LANG=C}) holds in its
     * place: such a path cannot be turned back into the same file.
     */
    private static final char UNDECODABLE = '\uFFFD';

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
                } else if (Files.isDirectory(real)) {
                    walk(real, found);
                } else {
                    // Opening a FIFO would block until a writer comes, a device could be endless.
                    throw new ManifestEditException(Problem.PATH_NOT_FOUND, relative, 0,
                            "neither a regular file nor a directory (a FIFO, a socket or a device); give a file or a directory");
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

    private void walk(Path directory, List<Candidate> found) {
        // Every walked path starts with the real root's text: relative paths are sliced off it, not relativized.
        String prefix = realRoot.toString().endsWith(separator) ? realRoot.toString() : realRoot + separator;
        walk(directory, prefix, found);
    }

    /**
     * Recursion over directory streams: lighter than Files.walkFileTree, one lstat per entry. A failure names the entry
     * or directory it happened at.
     */
    private void walk(Path directory, String prefix, List<Candidate> found) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                visit(entry, prefix, found);
            }
        } catch (IOException | DirectoryIteratorException e) {
            throw new ManifestEditException(Problem.IO_ERROR, relativize(directory), 0,
                    "cannot list the directory: " + (e instanceof DirectoryIteratorException d ? d.getCause() : e).getMessage(), e);
        }
    }

    private void visit(Path entry, String prefix, List<Candidate> found) {
        // An entry's text is its directory's, a separator and its name: slice the name off it.
        String text = entry.toString();
        String name = text.substring(text.lastIndexOf(separator) + 1);
        try {
            BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isDirectory()) {
                if (!name.equals(".git") && !(name.equals("templates") && Files.exists(entry.resolveSibling("Chart.yaml")))) {
                    walk(entry, prefix, found);
                }
            } else if (isManifestName(name)) {
                if (text.indexOf(UNDECODABLE) >= 0) {
                    throw new ManifestEditException(Problem.IO_ERROR, undecodable(entry), 0, FileNameEncoding.refusal());
                }
                if (attrs.isSymbolicLink()) {
                    checkLinkTarget(entry);
                } else if (attrs.isRegularFile()) {
                    found.add(new Candidate(text.substring(prefix.length()).replace('\\', '/'), entry, attrs.size()));
                }
            }
        } catch (IOException e) {
            throw new ManifestEditException(Problem.IO_ERROR, relativize(entry), 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The path of an entry whose name the JVM could not decode, relative to the root and quoted from its bytes on disk,
     * which its URI keeps ({@code %XX} escaped).
     */
    private String undecodable(Path entry) {
        String uri = entry.toUri().getRawPath();
        String raw = uri.substring(Math.min(realRoot.toUri().getRawPath().length(), uri.length()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return FileNameEncoding.quoted(bytes.toByteArray());
    }

    /**
     * A link is never edited through: its target is edited where it lives, when in scope. A link leading out of the root
     * is refused; one that leads nowhere (dangling, or a loop) holds nothing to edit and is passed over.
     */
    private void checkLinkTarget(Path link) {
        Path target;
        try {
            target = link.toRealPath();
        } catch (IOException e) {
            return;
        }
        if (!target.startsWith(realRoot)) {
            throw new ManifestEditException(Problem.PATH_OUTSIDE_ROOT, relativize(link), 0,
                    "a symbolic link to " + target + ", outside the repository root; refused");
        }
    }

    static boolean isManifestName(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json") || name.equals("Kustomization");
    }
}
