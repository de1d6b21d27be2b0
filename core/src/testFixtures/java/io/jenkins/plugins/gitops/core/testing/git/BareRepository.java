package io.jenkins.plugins.gitops.core.testing.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A bare repository on disk, created and inspected with the real {@code git}, as the servers in this package
 * serve it. Non-fast-forward updates are denied, so a forced push from the code under test would fail loudly.
 */
public final class BareRepository {

    private final Path path;

    private BareRepository(Path path) {
        this.path = path;
    }

    /**
     * Creates {@code root/name} with one commit on {@code branch} holding {@code files} (relative path to
     * content); the branch is also the repository's default branch.
     */
    public static BareRepository create(Path root, String name, String branch, Map<String, String> files) {
        Path bare = root.resolve(name);
        try {
            Files.createDirectories(bare);
            GitCli.run(bare, "init", "--bare", "--quiet", "--initial-branch=" + branch);
            GitCli.run(bare, "config", "receive.denyNonFastForwards", "true");
            GitCli.run(bare, "config", "receive.denyDeletes", "true");
            Path seed = Files.createTempDirectory(root, "seed-");
            GitCli.run(seed, "init", "--quiet", "--initial-branch=" + branch);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = seed.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            GitCli.run(seed, "add", "--all");
            GitCli.run(seed, "commit", "--quiet", "-m", "Initial config");
            GitCli.run(seed, "push", "--quiet", bare.toString(), "HEAD:refs/heads/" + branch);
            deleteTree(seed);
            return new BareRepository(bare);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return path;
    }

    /** The directory name, as used in server URLs. */
    public String name() {
        return path.getFileName().toString();
    }

    /** The commit a ref points at, or {@code null} when it does not exist. */
    public String commitOf(String ref) {
        try {
            return GitCli.run(path, "rev-parse", "--verify", "--quiet", ref + "^{commit}").strip();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** Commit subjects reachable from {@code ref}, newest first. */
    public List<String> subjects(String ref) {
        return lines(GitCli.run(path, "log", "--format=%s", ref));
    }

    /** Full commit messages reachable from {@code ref}, newest first. */
    public List<String> messages(String ref) {
        return Arrays.asList(GitCli.run(path, "log", "--format=%B%x00", ref).split("\0\n?"));
    }

    /** The first-parent chain from {@code ref}, newest first: a forced push would cut it. */
    public List<String> firstParentChain(String ref) {
        return lines(GitCli.run(path, "rev-list", "--first-parent", ref));
    }

    /** A file's content at {@code ref}. */
    public String show(String ref, String file) {
        return GitCli.run(path, "show", ref + ":" + file);
    }

    /** Files changed by the commit {@code ref}. */
    public List<String> filesChangedBy(String ref) {
        return lines(GitCli.run(path, "diff-tree", "--no-commit-id", "--name-only", "-r", ref));
    }

    /** Runs {@code git fsck --full --strict}; fails when the repository is corrupt. */
    public void fsck() {
        GitCli.run(path, "fsck", "--full", "--strict", "--no-progress");
    }

    /** Installs an executable hook script (e.g. {@code pre-receive}). */
    public void installHook(String hook, String script) {
        try {
            Path file = path.resolve("hooks").resolve(hook);
            Files.createDirectories(file.getParent());
            Files.writeString(file, script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pushes a commit that writes {@code files} on {@code branch}, as a concurrent pipeline would. */
    public String commitDirectly(String branch, Map<String, String> files, String message) {
        try {
            Path work = Files.createTempDirectory(path.getParent(), "side-");
            GitCli.run(work, "clone", "--quiet", "--branch", branch, path.toString(), ".");
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = work.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            GitCli.run(work, "add", "--all");
            GitCli.run(work, "commit", "--quiet", "-m", message);
            GitCli.run(work, "push", "--quiet", "origin", "HEAD:refs/heads/" + branch);
            String commit = GitCli.run(work, "rev-parse", "HEAD").strip();
            deleteTree(work);
            return commit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(String text) {
        return text.isBlank() ? List.of() : List.of(text.strip().split("\n"));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
