package io.jenkins.plugins.gitops.core.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The edits made in a checkout and not pushed yet, kept so that a push that loses a race can re-apply them on
 * the new tip. Lives in the git directory ({@code .git/gitops/pending-edits.json}), never in the work tree, so
 * it is never committed. Each entry is an opaque JSON object written by the editing command; this class only
 * keeps them in order: the editing command writes the journal in one change set with the files it edits
 * ({@link #appending}).
 */
public final class EditJournal {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    private final Path directory;
    private final Path file;
    private final Path checkout;

    private EditJournal(Path directory, Path checkout) {
        this.directory = directory;
        this.file = directory.resolve("pending-edits.json");
        this.checkout = checkout;
    }

    /**
     * The journal's text now ({@code null}: there is none) and with one more entry, for a caller that writes it in
     * one change set with the files the entry describes.
     */
    public record Appended(Path file, String current, String next) {}

    /** The journal of the git checkout that contains {@code directory}, or empty when it is in none. */
    public static Optional<EditJournal> forCheckout(Path directory) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(directory.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        return Optional.of(new EditJournal(builder.getGitDir().toPath().resolve("gitops"),
                directory.toAbsolutePath().normalize()));
    }

    public Path file() {
        return file;
    }

    /** The directory inside the checkout this journal was found from. */
    public Path checkout() {
        return checkout;
    }

    /** The entries, oldest first. */
    public List<JsonNode> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || root.path("format").asInt() != FORMAT || !root.path("edits").isArray()) {
                throw corrupt("it is not in a format this version understands");
            }
            List<JsonNode> entries = new ArrayList<>();
            root.path("edits").forEach(entries::add);
            return entries;
        } catch (JsonProcessingException e) {
            throw corrupt("it is corrupt: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Cannot read the edit journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The journal with {@code entry} added at the end, not written yet.
     *
     * @throws GitOperationException BAD_INPUT when the journal is corrupt (the message says how to recover)
     */
    public Appended appending(ObjectNode entry) {
        List<JsonNode> entries = new ArrayList<>(entries());
        entries.add(entry);
        try {
            String current = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
            return new Appended(file, current, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document(entries)));
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Cannot read the edit journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** A journal this version cannot read: nothing was changed, and how to go on without it. */
    private GitOperationException corrupt(String why) {
        return new GitOperationException(GitOperationException.Kind.BAD_INPUT, "The edit journal " + file + " cannot be read ("
                + why + "); nothing was changed. To recover: delete it (the edits it recorded stay in the files), then run"
                + " set-image again for each image not pushed yet, or commit and push those files with git.");
    }

    private static ObjectNode document(List<JsonNode> entries) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode edits = root.putArray("edits");
        entries.forEach(edits::add);
        return root;
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
            Path lock = directory.resolve("pending-edits.json.lock");
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.lock(); // held until the channel closes
                step.run();
            }
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Cannot update the edit journal " + file + ": " + e.getMessage(), e);
        }
    }
}
