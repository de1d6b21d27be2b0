package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The record of a change set being written, kept on disk from before the first temporary file until after the
 * last rename, so that a run killed in between can be repaired by the next one. It lists each target with the
 * SHA-256 of its old content
 * ({@code -}: the file did not exist) and of its new one; each target's temporary file is named after the set's
 * id, so the record finds them all. The record also names the process writing it, so that a run never
 * "repairs" a set another live process is still writing.
 *
 * <p>Repair ({@link #recover}) completes the set when every target either holds its new content or still holds
 * its old content with a complete temporary file beside it (the crash came after staging); it undoes the set
 * (removes the temporary files) when no target was renamed yet and some temporary file is missing or
 * incomplete (the crash came while staging). Anything else means a target was changed by hand after the
 * crash: nothing is touched and the error names the file.
 */
final class ChangeSetIntent {

    /** The record inside the git directory of a checkout, never in the work tree. */
    private static final String IN_GIT_DIR = "gitops/change-set";
    /** The record in the edited directory when it is in no git checkout. */
    private static final String IN_PLAIN_DIR = ".gitops-change-set";
    private static final String HEADER = "gitops change set 1";
    private static final String ABSENT = "-";

    private final String id;
    private final long pid;
    private final long processStart;
    private final List<Target> targets;

    private record Target(Path path, String oldHash, String newHash) {}

    private ChangeSetIntent(String id, long pid, long processStart, List<Target> targets) {
        this.id = id;
        this.pid = pid;
        this.processStart = processStart;
        this.targets = targets;
    }

    /** The record for the checkout holding {@code directory} (in its git directory), else in {@code directory}. */
    static Path locationFor(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            Path dotGit = dir.resolve(".git");
            if (Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
                return dotGit.resolve(IN_GIT_DIR);
            }
            Optional<Path> linked = gitDirOfLinkFile(dir, dotGit);
            if (linked.isPresent()) {
                return linked.get().resolve(IN_GIT_DIR);
            }
        }
        return absolute.resolve(IN_PLAIN_DIR);
    }

    /** A {@code .git} file ({@code gitdir: PATH}, in a linked worktree or a submodule): the git directory it names. */
    private static Optional<Path> gitDirOfLinkFile(Path dir, Path dotGit) {
        if (!Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
            return text.startsWith("gitdir:") ? Optional.of(dir.resolve(text.substring("gitdir:".length()).strip()).normalize())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static ChangeSetIntent of(List<ChangeSetWriter.Target> targets) {
        List<Target> recorded = new ArrayList<>();
        for (ChangeSetWriter.Target target : targets) {
            recorded.add(new Target(target.path(), target.before() == null ? null : sha256(target.beforeBytes()), sha256(target.afterBytes())));
        }
        ProcessHandle self = ProcessHandle.current();
        return new ChangeSetIntent(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()), self.pid(), startOf(self), recorded);
    }

    /** The directory holding {@code file}; only a root of the file system has none, and no set writes one. */
    static Path directoryOf(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (directory == null) {
            throw new IOException(file + " is a root of the file system, not a file");
        }
        return directory;
    }

    /** The temporary file of {@code target} in this set: hidden, beside it, named after the set. */
    Path temp(Path target) {
        return temp(target, id);
    }

    private static Path temp(Path target, String id) {
        return target.resolveSibling("." + target.getFileName() + "." + id + ".gitops-tmp");
    }

    /**
     * Writes the record to disk (synced, with its directory) before anything else of the set.
     *
     * @throws java.nio.file.FileAlreadyExistsException when another set is being written there
     */
    void create(Path file) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n')
                .append("id ").append(id).append('\n')
                .append("process ").append(pid).append(' ').append(processStart).append('\n');
        for (Target target : targets) {
            text.append("file ").append(target.oldHash() == null ? ABSENT : target.oldHash()).append(' ').append(target.newHash())
                    .append(' ').append(escape(target.path().toString())).append('\n');
        }
        text.append("end\n");
        Files.createDirectories(directoryOf(file));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = StandardCharsets.UTF_8.encode(text.toString());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        syncDirectory(directoryOf(file));
    }

    /**
     * Completes or undoes the change set a killed run left behind at {@code file}, if any, and removes the record
     * and every temporary file of the set.
     *
     * @throws ManifestEditException IO_ERROR while another live process writes the set; INTERRUPTED_CHANGE_SET when a
     *     target changed after the crash (named, with what to do)
     */
    static void recover(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestEditException(Problem.INTERRUPTED_CHANGE_SET, null, 0, "cannot read the record of an"
                    + " interrupted change set, " + file + " (" + e.getMessage() + "); nothing was changed", e);
        }
        if (lines.size() < 4 || !lines.get(0).equals(HEADER) || !lines.get(lines.size() - 1).equals("end")) {
            // Cut short while it was written: nothing else of the set was done yet.
            deleteQuietly(file);
            return;
        }
        String id = lines.get(1).substring("id ".length());
        String[] process = lines.get(2).split(" ");
        if (isAlive(Long.parseLong(process[1]), Long.parseLong(process[2]))) {
            throw new ManifestEditException(Problem.IO_ERROR, null, 0, "another edit (process " + process[1] + ") is"
                    + " writing a change set here (" + file + "); run again when it has finished");
        }
        List<Target> entries = new ArrayList<>();
        for (String line : lines.subList(3, lines.size() - 1)) {
            String[] fields = line.split(" ", 4);
            entries.add(new Target(Path.of(unescape(fields[3])), fields[1].equals(ABSENT) ? null : fields[1], fields[2]));
        }
        List<String> changedByHand = new ArrayList<>();
        boolean completable = true;
        for (Target entry : entries) {
            Path target = entry.path();
            String now = hashOf(target);
            boolean isNew = entry.newHash().equals(now);
            boolean isOld = entry.oldHash() == null ? now == null : entry.oldHash().equals(now);
            if (!isNew && !isOld) {
                changedByHand.add(entry.path().toString());
            } else if (!isNew && !entry.newHash().equals(hashOf(temp(target, id)))) {
                completable = false;
            }
        }
        if (!changedByHand.isEmpty()) {
            throw new ManifestEditException(Problem.INTERRUPTED_CHANGE_SET, changedByHand.get(0), 0, "an edit was"
                    + " interrupted (the process was killed) and " + String.join(", ", changedByHand) + " changed since,"
                    + " so it can be neither completed nor undone; nothing was changed. Check the files (git diff), then"
                    + " delete " + file + " and its temporary files (.*." + id + ".gitops-tmp) and run the edit again");
        }
        try {
            for (Target entry : entries) {
                Path target = entry.path();
                Path temp = temp(target, id);
                if (completable && !entry.newHash().equals(hashOf(target))) {
                    move(temp, target);
                } else {
                    Files.deleteIfExists(temp);
                }
            }
            Files.delete(file);
            syncDirectory(directoryOf(file));
        } catch (IOException e) {
            throw new ManifestEditException(Problem.INTERRUPTED_CHANGE_SET, null, 0, "cannot "
                    + (completable ? "complete" : "undo") + " the interrupted change set recorded in " + file
                    + " (" + e.getMessage() + ")", e);
        }
    }

    /** Whether {@code path} holds exactly {@code content} ({@code null}: does not exist). */
    static boolean holds(Path path, byte[] content) {
        try {
            return content == null ? !Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                    : java.util.Arrays.equals(Files.readAllBytes(path), content);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new ManifestEditException(Problem.IO_ERROR, path.toString(), 0, "cannot read: " + e.getMessage(), e);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is hidden and named after its set; the next run's repair removes it
        }
    }

    private static boolean isAlive(long pid, long start) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive() && startOf(process.get()) == start;
    }

    private static long startOf(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    private static String hashOf(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? sha256(Files.readAllBytes(file)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform opens directories (Windows): the rename is still atomic, only its durability
            // across a power loss is not forced.
        }
    }

    private static String escape(String path) {
        return path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
