package io.jenkins.plugins.gitops.core.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory for a command's temporary clones, deleted when the command ends and, through a shutdown hook, when the
 * process is stopped by a signal (a cancelled CI job sends SIGTERM), so no clone is left in the temporary folder.
 */
final class TemporaryDirectory implements AutoCloseable {

    private final Path path;
    private final Thread cleanupOnSignal;

    private TemporaryDirectory(Path path) {
        this.path = path;
        this.cleanupOnSignal = new Thread(() -> delete(path), "gitops-cleanup");
    }

    /** Creates the directory, named after the command ({@code gitops-update-…}), and arms the shutdown hook. */
    static TemporaryDirectory create(String command) throws IOException {
        TemporaryDirectory directory = new TemporaryDirectory(Files.createTempDirectory("gitops-" + command + "-"));
        Runtime.getRuntime().addShutdownHook(directory.cleanupOnSignal);
        return directory;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        delete(path);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnSignal);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook deletes the directory
        }
    }

    /**
     * On a signal the command's own thread may still be writing into the directory while this runs, so a pass that
     * meets a file appearing or vanishing is followed by another.
     */
    private static void delete(Path root) {
        for (int pass = 0; pass < 3 && Files.exists(root, LinkOption.NOFOLLOW_LINKS); pass++) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // the next pass sees the tree as it is now
            }
        }
    }
}
