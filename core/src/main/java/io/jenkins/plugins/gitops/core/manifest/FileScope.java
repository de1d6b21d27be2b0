package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.FileNameEncoding;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
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

    private static final Set<OpenOption> READ_WITHOUT_FOLLOWING_LINKS = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private final Path root;
    private final Path realRoot;
    /** Whether the root's own path holds a name the JVM could not decode: then so does every path under it. */
    private final boolean undecodableRoot;

    FileScope(Path root) {
        this.root = root;
        try {
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new ManifestEditException(Problem.PATH_NOT_FOUND, root.toString(), 0,
                    "the repository root does not exist or cannot be read", e);
        }
        this.undecodableRoot = realRoot.toString().indexOf(UNDECODABLE) >= 0;
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

    /**
     * Opens a candidate for reading, never through a symbolic link: during a walk relative to the open directory that
     * holds it, so that the kernel looks up one name, not the whole path.
     */
    @FunctionalInterface
    interface Opening {
        SeekableByteChannel open() throws IOException;
    }

    /** What a walk does with each candidate it meets, while its directory is open. */
    @FunctionalInterface
    interface Visitor {
        void visit(Candidate candidate, Opening opening);
    }

    /** The candidate files under {@code paths} (the whole root when empty), each once, in no particular order. */
    List<Candidate> collect(List<String> paths) {
        List<Candidate> found = new ArrayList<>();
        walk(paths, (candidate, opening) -> found.add(candidate));
        return found;
    }

    /** Hands each candidate file under {@code paths} (the whole root when empty) to {@code visitor}, once, in no particular order. */
    void walk(List<String> paths, Visitor visitor) {
        Visitor once = visitor;
        if (paths.size() > 1) {
            Set<String> seen = new HashSet<>();
            once = (candidate, opening) -> {
                if (seen.add(candidate.relative())) {
                    visitor.visit(candidate, opening);
                }
            };
        }
        for (String relative : paths.isEmpty() ? List.of("") : paths) {
            Path start = relative.isEmpty() ? root : resolve(relative);
            if (!Files.exists(start)) {
                throw new ManifestEditException(Problem.PATH_NOT_FOUND, relative, 0, "no such file or directory");
            }
            try {
                Path real = start.toRealPath();
                if (Files.isRegularFile(real)) {
                    once.visit(new Candidate(relativize(real), real, Files.size(real)),
                            () -> Files.newByteChannel(real, READ_WITHOUT_FOLLOWING_LINKS));
                } else if (Files.isDirectory(real)) {
                    String startRelative = relativize(real);
                    walk(real, startRelative.isEmpty() ? "" : startRelative + "/", once);
                } else {
                    // Opening a FIFO would block until a writer comes, a device could be endless.
                    throw new ManifestEditException(Problem.PATH_NOT_FOUND, relative, 0,
                            "neither a regular file nor a directory (a FIFO, a socket or a device); give a file or a directory");
                }
            } catch (IOException e) {
                throw new ManifestEditException(Problem.IO_ERROR, relative, 0, "cannot read: " + e.getMessage(), e);
            }
        }
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

    /**
     * Recursion over directory streams. Where the platform offers a {@link SecureDirectoryStream} (Linux, macOS), each
     * entry's type, each subdirectory and each file is looked up relative to the open directory that holds it: one
     * path component per system call instead of the whole path, and no link followed even if an entry is swapped for
     * one during the walk. A failure names the entry or directory it happened at.
     */
    private void walk(Path directory, String relativePrefix, Visitor visitor) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            walk(entries, relativePrefix, visitor);
        } catch (IOException | DirectoryIteratorException e) {
            throw cannotList(directory, e);
        }
    }

    private void walk(DirectoryStream<Path> entries, String relativePrefix, Visitor visitor) {
        SecureDirectoryStream<Path> secure = entries instanceof SecureDirectoryStream<Path> s ? s : null;
        for (Path entry : entries) {
            Path name = Objects.requireNonNull(entry.getFileName(), "a directory's entry has a name");
            String nameText = name.toString();
            String relative = relativePrefix + nameText;
            try {
                BasicFileAttributes attrs = secure != null
                        ? secure.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes()
                        : Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isDirectory()) {
                    if (!nameText.equals(".git") && !(nameText.equals("templates") && Files.exists(entry.resolveSibling("Chart.yaml")))) {
                        if (secure == null) {
                            walk(entry, relative + "/", visitor);
                        } else {
                            try (DirectoryStream<Path> subdirectory = secure.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                                walk(subdirectory, relative + "/", visitor);
                            } catch (IOException | DirectoryIteratorException e) {
                                throw cannotList(entry, e);
                            }
                        }
                    }
                } else if (isManifestName(nameText)) {
                    if (undecodableRoot || relative.indexOf(UNDECODABLE) >= 0) {
                        throw new ManifestEditException(Problem.IO_ERROR, undecodable(entry), 0, FileNameEncoding.refusal());
                    }
                    if (attrs.isSymbolicLink()) {
                        checkLinkTarget(entry);
                    } else if (attrs.isRegularFile()) {
                        visitor.visit(new Candidate(relative, entry, attrs.size()), secure != null
                                ? () -> secure.newByteChannel(name, READ_WITHOUT_FOLLOWING_LINKS)
                                : () -> Files.newByteChannel(entry, READ_WITHOUT_FOLLOWING_LINKS));
                    }
                }
            } catch (IOException e) {
                throw new ManifestEditException(Problem.IO_ERROR, relativize(entry), 0, "cannot read: " + e.getMessage(), e);
            }
        }
    }

    private ManifestEditException cannotList(Path directory, Exception e) {
        return new ManifestEditException(Problem.IO_ERROR, relativize(directory), 0,
                "cannot list the directory: " + (e instanceof DirectoryIteratorException d ? d.getCause() : e).getMessage(), e);
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
