package io.jenkins.plugins.gitops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.EditOutcome;
import io.jenkins.plugins.gitops.core.git.WorkTreeEdit;
import io.jenkins.plugins.gitops.core.manifest.Change;
import io.jenkins.plugins.gitops.core.manifest.EditReport;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edits {@code gitopsSetImage} made in a checkout and not pushed yet, kept in the checkout's git directory
 * ({@code <git-dir>/gitops-deploy/edits.jsonl}, one JSON object per line) so that they survive between steps, even
 * on another executor, and so that {@code gitopsPush} can apply them again on a newer commit after losing a push race.
 * Lives on the agent that holds the checkout.
 */
final class EditJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One {@code gitopsSetImage}: the request, and the values it contributes to the commit message. */
    record Entry(EditRequest request, List<String> files, Map<String, String> messageVariables) {}

    private final Path file;

    private EditJournal(Path file) {
        this.file = file;
    }

    /** The journal of the checkout at {@code workTree} (a {@code .git} directory, or a {@code .git} file of a worktree). */
    static EditJournal of(Path workTree) throws IOException {
        Path dotGit = workTree.resolve(".git");
        Path gitDir = dotGit;
        if (Files.isRegularFile(dotGit)) {
            String pointer = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
            if (!pointer.startsWith("gitdir:")) {
                throw new IOException(dotGit + " is neither a git directory nor a gitdir pointer");
            }
            gitDir = workTree.resolve(pointer.substring("gitdir:".length()).trim()).normalize();
        } else if (!Files.isDirectory(dotGit)) {
            throw new IOException(Messages.EditJournal_notACheckout(workTree));
        }
        return new EditJournal(gitDir.resolve("gitops-deploy").resolve("edits.jsonl"));
    }

    /** Records an applied edit and the commit message values its report yields. */
    void append(EditRequest request, EditReport report) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.set("request", JSON.readTree(request.toJson()));
        line.set("files", JSON.valueToTree(report.changedFiles()));
        line.set("messageVariables", JSON.valueToTree(messageVariables(request, report)));
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The edits recorded since the last push, oldest first. */
    List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                entries.add(new Entry(
                        EditRequest.fromJson(node.get("request").toString()),
                        JSON.convertValue(node.path("files"), new TypeReference<List<String>>() {}),
                        JSON.convertValue(node.path("messageVariables"), new TypeReference<Map<String, String>>() {})));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IOException(Messages.EditJournal_corrupt(file, e.getMessage()), e);
            }
        }
        return entries;
    }

    /** Every file the recorded edits wrote (created files included, which git does not list as modified). */
    static List<String> files(List<Entry> entries) {
        Set<String> files = new LinkedHashSet<>();
        entries.forEach(entry -> files.addAll(entry.files()));
        return new ArrayList<>(files);
    }

    /** Forgets the edits once they are pushed. */
    void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    /** The commit message values of every recorded edit together (images and versions joined). */
    static Map<String, String> messageVariables(List<Entry> entries) {
        Map<String, Set<String>> joined = new LinkedHashMap<>();
        for (Entry entry : entries) {
            entry.messageVariables().forEach(
                    (name, value) -> joined.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(value));
        }
        Map<String, String> variables = new LinkedHashMap<>();
        joined.forEach((name, values) -> variables.put(name, String.join(", ", values)));
        return variables;
    }

    /** Applies every recorded edit again to a fresh work tree (the push loop's re-apply after a lost race). */
    static WorkTreeEdit replay(List<Entry> entries) {
        return root -> {
            Set<String> files = new LinkedHashSet<>();
            ManifestEditor editor = new ManifestEditor(root);
            for (Entry entry : entries) {
                files.addAll(editor.apply(entry.request()).changedFiles());
            }
            return new EditOutcome(new ArrayList<>(files), messageVariables(entries));
        };
    }

    /** Values for core's {@code CommitMessageTemplate}: the image and its old and new versions. */
    private static Map<String, String> messageVariables(EditRequest request, EditReport report) {
        Map<String, String> values = new LinkedHashMap<>();
        ImageUpdate update = request.updates().get(0);
        values.put("image", update.newName() != null ? update.newName() : update.image());
        putIfPresent(values, "newTag", update.newTag());
        putIfPresent(values, "newDigest", update.newDigest());
        String newVersion = update.newTag() != null
                ? update.newTag() + (update.newDigest() != null ? "@" + update.newDigest() : "")
                : update.newDigest();
        putIfPresent(values, "newVersion", newVersion);
        for (Change change : report.changes()) {
            if (change.oldValue() != null) {
                putIfPresent(values, "oldVersion", versionOf(change.oldValue()));
                break;
            }
        }
        if (request.argocdSourceApp() != null) {
            values.put("app", request.argocdSourceApp());
        }
        return values;
    }

    /** The tag and/or digest part of a whole reference ({@code repo:1.2@sha256:...}), or the value itself. */
    private static String versionOf(String value) {
        if (value.startsWith("sha256:") || !value.contains(":") && !value.contains("@")) {
            return value; // already a bare digest or tag (kustomize newTag / digest fields)
        }
        int slash = value.lastIndexOf('/');
        int at = value.indexOf('@');
        int colon = value.indexOf(':', slash + 1);
        if (at >= 0 && (colon < 0 || colon > at)) {
            return value.substring(at + 1);
        }
        return colon >= 0 ? value.substring(colon + 1) : value;
    }

    private static void putIfPresent(Map<String, String> values, String name, String value) {
        if (value != null && !value.isBlank()) {
            values.putIfAbsent(name, value);
        }
    }
}
