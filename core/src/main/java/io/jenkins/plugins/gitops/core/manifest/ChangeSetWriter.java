package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a change set all or nothing: each new text goes to a temporary file in its target's directory;
 * only when all are written, and every target still holds what was planned against, are they renamed
 * into place. Should a rename fail, the files already renamed get their original text back.
 */
final class ChangeSetWriter {

    private record Staged(FileEdit edit, Path target, Path temp) {}

    private ChangeSetWriter() {}

    static void write(FileScope scope, List<FileEdit> edits) {
        List<Staged> staged = new ArrayList<>();
        List<Staged> renamed = new ArrayList<>();
        boolean done = false;
        try {
            for (FileEdit edit : edits) {
                Path target = scope.resolve(edit.file());
                checkUnchanged(edit, target);
                Path directory = target.getParent();
                Path name = target.getFileName();
                if (directory == null || name == null) {
                    // The scope keeps every path under its absolute root, so only a root of the file system lacks these.
                    throw new ManifestEditException(Problem.PATH_NOT_FOUND, edit.file(), 0,
                            "the path names no file under the repository root; nothing was written");
                }
                Files.createDirectories(directory);
                Path temp = Files.createTempFile(directory, "." + name + ".", ".gitops-tmp");
                staged.add(new Staged(edit, target, temp));
                Files.write(temp, edit.after().getBytes(StandardCharsets.UTF_8));
                copyPermissions(target, temp);
            }
            for (Staged file : staged) {
                checkUnchanged(file.edit(), file.target());
            }
            for (Staged file : staged) {
                move(file.temp(), file.target());
                renamed.add(file);
            }
            done = true;
        } catch (IOException e) {
            throw new ManifestEditException(Problem.IO_ERROR, staged.isEmpty() ? null : staged.get(staged.size() - 1).edit().file(),
                    0, "writing failed (" + e + "); no file was changed" + (renamed.isEmpty() ? "" : " (restored)"), e);
        } finally {
            if (!done) {
                restore(renamed);
            }
            for (Staged file : staged) {
                try {
                    Files.deleteIfExists(file.temp());
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless; it is hidden and ends in .gitops-tmp
                }
            }
        }
    }

    private static void checkUnchanged(FileEdit edit, Path target) throws IOException {
        byte[] current = Files.exists(target) ? Files.readAllBytes(target) : null;
        byte[] planned = edit.created() ? null : edit.before().getBytes(StandardCharsets.UTF_8);
        if (!Arrays.equals(current, planned)) {
            throw new ManifestEditException(Problem.IO_ERROR, edit.file(), 0,
                    "the file changed while the edit was planned; nothing was written, run the edit again");
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view != null && Files.exists(from)) {
            view.setPermissions(Files.getPosixFilePermissions(from));
        } else if (view != null) {
            view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void restore(List<Staged> renamed) {
        for (Staged file : renamed) {
            try {
                if (file.edit().created()) {
                    Files.deleteIfExists(file.target());
                } else {
                    Files.write(file.temp(), file.edit().before().getBytes(StandardCharsets.UTF_8));
                    move(file.temp(), file.target());
                }
            } catch (IOException ignored) {
                // best effort: the original error is what the caller sees
            }
        }
    }
}
