package io.jenkins.plugins.gitops.core.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The edits made in a checkout and not pushed yet, kept so that a push that loses a race can re-apply them on
 * the new tip. Lives in the git directory ({@code .git/gitops/pending-edits.json}), never in the work tree, so
 * it is never committed. Each entry is an opaque JSON object written by the editing command; this class only
 * stores them, in order, with atomic writes under a file lock.
 */
public final class EditJournal {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    private final Path directory;
    private final Path file;
    private final Path lock;

    private EditJournal(Path directory) {
        this.directory = directory;
        this.file = directory.resolve("pending-edits.json");
        this.lock = directory.resolve("pending-edits.json.lock");
    }

    /** The journal of the git checkout that contains {@code directory}, or empty when it is in none. */
    public static Optional<EditJournal> forCheckout(Path directory) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(directory.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        return Optional.of(new EditJournal(builder.getGitDir().toPath().resolve("gitops")));
    }

    public Path file() {
        return file;
    }

    /** The entries, oldest first. */
    public List<JsonNode> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || root.path("format").asInt() != FORMAT || !root.path("edits").isArray()) {
                throw new GitOperationException(GitOperationException.Kind.BAD_INPUT,
                        "The edit journal " + file + " is not in a format this version understands; delete it and"
                                + " run set-image again.");
            }
            List<JsonNode> entries = new ArrayList<>();
            root.path("edits").forEach(entries::add);
            return entries;
        } catch (JsonProcessingException e) {
            throw new GitOperationException(GitOperationException.Kind.BAD_INPUT,
                    "The edit journal " + file + " is corrupt (" + e.getOriginalMessage() + "); delete it and run set-image again.");
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Cannot read the edit journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Adds an entry at the end. */
    public void append(ObjectNode entry) {
        locked(() -> {
            List<JsonNode> entries = new ArrayList<>(entries());
            entries.add(entry);
            write(entries);
        });
    }

    /** Forgets every entry (after they were pushed). */
    public void clear() {
        locked(() -> Files.deleteIfExists(file));
    }

    private interface Step {
        void run() throws IOException;
    }

    private void locked(Step step) {
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                step.run();
            }
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Cannot update the edit journal " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(List<JsonNode> entries) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode edits = root.putArray("edits");
        entries.forEach(edits::add);
        Path temp = Files.createTempFile(directory, "pending-edits", ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
