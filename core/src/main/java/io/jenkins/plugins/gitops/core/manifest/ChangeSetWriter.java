package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a change set all or nothing, also across a crash. Before anything else it writes the set's
 * {@link ChangeSetIntent} (every target with the hashes of its old and new content), durably; then each new
 * content goes to a temporary file beside its target; only when all are written, and every target still holds
 * what was planned against, are they renamed into place; then the intent is deleted. A run killed at any point
 * leaves the intent behind, and the next one {@linkplain ChangeSetIntent#recover completes or undoes} the set
 * before doing anything else. Within a run, a failure restores every file already renamed and removes the
 * temporary files. A rewritten file keeps its owner, group and permissions.
 */
final class ChangeSetWriter {

    /** Where the writing stands; tests stop or fail the writer at each one to prove the recovery. */
    enum Step {
        /** The intent is on disk; no temporary file yet. */
        INTENT_WRITTEN,
        /** Temporary file {@code n} holds its new content. */
        STAGED,
        /** Target {@code n} holds its new content. */
        RENAMED
    }

    /** Called at each {@link Step}; {@link #NONE} outside tests. */
    interface Checkpoint {
        Checkpoint NONE = (step, file) -> {};

        void reached(Step step, int file) throws IOException;
    }

    /**
     * One file to write.
     *
     * @param name   how messages name it (relative to the edited root, or the path of a file outside it)
     * @param path   where it is
     * @param before its content now, {@code null} when it does not exist
     * @param after  its new content
     */
    record Target(String name, Path path, String before, String after) {
        byte[] beforeBytes() {
            return before == null ? null : before.getBytes(StandardCharsets.UTF_8);
        }

        byte[] afterBytes() {
            return after.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Checkpoint checkpoint;

    ChangeSetWriter(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** The file edits of a plan, as targets under {@code scope}'s root. */
    static List<Target> targets(FileScope scope, List<FileEdit> edits) {
        List<Target> targets = new ArrayList<>();
        for (FileEdit edit : edits) {
            targets.add(new Target(edit.file(), scope.resolve(edit.file()), edit.created() ? null : edit.before(), edit.after()));
        }
        return targets;
    }

    /**
     * Writes every target or none.
     *
     * @param intentFile where the intent goes ({@link ChangeSetIntent#locationFor})
     * @throws ManifestEditException IO_ERROR naming the file at fault; no target has changed
     */
    void write(Path intentFile, List<Target> targets) {
        ChangeSetIntent.recover(intentFile);
        for (Target target : targets) {
            checkUnchanged(target);
        }
        ChangeSetIntent intent = ChangeSetIntent.of(targets);
        try {
            intent.create(intentFile);
        } catch (FileAlreadyExistsException e) {
            throw new ManifestEditException(Problem.IO_ERROR, null, 0, "another edit started writing here at the same"
                    + " moment (" + intentFile + "); nothing was written, run the edit again");
        } catch (IOException e) {
            throw new ManifestEditException(Problem.IO_ERROR, null, 0, "cannot write the change-set record " + intentFile
                    + " (" + e.getMessage() + "); nothing was written", e);
        }
        List<Target> renamed = new ArrayList<>();
        Target current = null;
        boolean done = false;
        try {
            checkpoint.reached(Step.INTENT_WRITTEN, 0);
            for (int i = 0; i < targets.size(); i++) {
                current = targets.get(i);
                stage(current, intent.temp(current.path()));
                checkpoint.reached(Step.STAGED, i);
            }
            for (Target target : targets) {
                current = target;
                checkUnchanged(target);
            }
            for (int i = 0; i < targets.size(); i++) {
                current = targets.get(i);
                ChangeSetIntent.move(intent.temp(current.path()), current.path());
                renamed.add(current);
                checkpoint.reached(Step.RENAMED, i);
            }
            done = true;
        } catch (IOException e) {
            throw new ManifestEditException(Problem.IO_ERROR, current == null ? null : current.name(), 0,
                    "writing failed (" + e + "); no file was changed" + (renamed.isEmpty() ? "" : " (restored)"), e);
        } finally {
            if (!done) {
                restore(intent, renamed);
            }
            for (Target target : targets) {
                ChangeSetIntent.deleteQuietly(intent.temp(target.path()));
            }
            ChangeSetIntent.deleteQuietly(intentFile);
        }
    }

    private static void checkUnchanged(Target target) {
        if (!ChangeSetIntent.holds(target.path(), target.beforeBytes())) {
            throw new ManifestEditException(Problem.IO_ERROR, target.name(), 0,
                    "the file changed while the edit was planned; nothing was written, run the edit again");
        }
    }

    /**
     * The new content in the temporary file, with the target's owner, group and permissions. Not synced: a killed
     * process loses nothing the kernel holds (only the record is synced, one call per set, so that the repair
     * finds it).
     */
    private static void stage(Target target, Path temp) throws IOException {
        Files.createDirectories(ChangeSetIntent.directoryOf(temp));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(target.afterBytes());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new IOException("cannot create the temporary file " + temp + " for " + target.name() + ": " + e.getMessage(), e);
        }
        copyAttributes(target.path(), temp);
    }

    /**
     * The owner and group (when this process may set them: as root, or a group it belongs to) and the
     * permissions of {@code from}, or {@code rw-r--r--} for a new file.
     */
    private static void copyAttributes(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        if (!Files.exists(from)) {
            view.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        PosixFileAttributes original = Files.readAttributes(from, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes staged = view.readAttributes();
        if (!staged.owner().equals(original.owner())) {
            try {
                view.setOwner(original.owner());
            } catch (IOException e) {
                // Only root may give a file away; anyone else rewrites their own files, which keep their owner.
            }
        }
        if (!staged.group().equals(original.group())) {
            try {
                view.setGroup(original.group());
            } catch (IOException e) {
                // Not a member of the file's group: the new file has the writer's group, as with any editor.
            }
        }
        // Last: a chown may clear set-id bits.
        view.setPermissions(original.permissions());
    }

    /** Puts the original content back into every target already renamed (in-process failure; a crash is recovered instead). */
    private static void restore(ChangeSetIntent intent, List<Target> renamed) {
        for (Target target : renamed) {
            try {
                if (target.before() == null) {
                    Files.deleteIfExists(target.path());
                } else {
                    Target back = new Target(target.name(), target.path(), target.after(), target.before());
                    Path temp = intent.temp(target.path());
                    Files.deleteIfExists(temp);
                    stage(back, temp);
                    ChangeSetIntent.move(temp, target.path());
                }
            } catch (IOException ignored) {
                // best effort: the original error is what the caller sees
            }
        }
    }
}
