package io.jenkins.plugins.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.EditJournal;
import io.jenkins.plugins.gitops.core.git.EditOutcome;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.WorkTreeEdit;
import io.jenkins.plugins.gitops.core.manifest.Change;
import io.jenkins.plugins.gitops.core.manifest.EditReport;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edits {@code gitopsSetImage} made in a checkout and not pushed yet, kept in core's {@link EditJournal} (in the
 * checkout's git directory) in the entry format of the {@code gitops} CLI ({@code directory}, {@code request},
 * {@code changes}), so that {@code gitops set-image} in an {@code sh} step and {@code gitopsPush}, or the other way
 * round, work on one checkout. {@code gitopsPush} applies them again on a newer commit after losing a push race.
 * Runs on the agent that holds the checkout.
 */
final class PendingEdits {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One journalled edit: where it ran (relative to the work tree, {@code ""} for the root), what, and what it changed. */
    record Entry(String directory, EditRequest request, List<Change> changes) {}

    private PendingEdits() {}

    /** Journals an edit that changed something in the checkout at {@code workTree}. */
    static void record(Path workTree, EditRequest request, EditReport report) throws IOException {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("directory", "");
        entry.set("request", JSON.readTree(request.toJson()));
        entry.set("changes", JSON.valueToTree(report.changes()));
        journal(workTree).append(entry);
    }

    /** The journalled edits, oldest first. */
    static List<Entry> read(Path workTree) throws IOException {
        EditJournal journal = journal(workTree);
        List<Entry> entries = new ArrayList<>();
        for (JsonNode node : journal.entries()) {
            try {
                List<Change> changes = new ArrayList<>();
                for (JsonNode change : node.path("changes")) {
                    changes.add(JSON.treeToValue(change, Change.class));
                }
                entries.add(new Entry(node.path("directory").asText(""),
                        EditRequest.fromJson(node.path("request").toString()), changes));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(Messages.PendingEdits_unreadable(journal.file(), e.getMessage()), e);
            }
        }
        return entries;
    }

    /** Forgets the edits once they are pushed. */
    static void clear(Path workTree) throws IOException {
        journal(workTree).clear();
    }

    /** Every file the journalled edits wrote (created files included: git lists only modified tracked files). */
    static List<String> files(List<Entry> entries) {
        Set<String> files = new LinkedHashSet<>();
        for (Entry entry : entries) {
            for (Change change : entry.changes()) {
                files.add(join(entry.directory(), change.file()));
            }
        }
        return new ArrayList<>(files);
    }

    /** Applies the journalled requests again to a fresh work tree: the push loop's re-application after a lost race. */
    static WorkTreeEdit replay(List<Entry> entries) {
        return workTree -> {
            Set<String> files = new LinkedHashSet<>();
            List<Entry> applied = new ArrayList<>();
            for (Entry entry : entries) {
                EditReport report = new ManifestEditor(workTree.resolve(entry.directory())).apply(entry.request());
                if (report.outcome() == EditReport.Outcome.NOT_FOUND) {
                    throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, Messages.PendingEdits_goneOnTip(
                            entry.request().updates().get(0).image()));
                }
                report.changedFiles().forEach(file -> files.add(join(entry.directory(), file)));
                applied.add(new Entry(entry.directory(), entry.request(), report.changes()));
            }
            return new EditOutcome(new ArrayList<>(files), messageVariables(applied));
        };
    }

    /**
     * Values for core's commit message template: the images, and the old and new versions as the changes show
     * them (a tag, a digest, or the tag of a whole reference).
     */
    static Map<String, String> messageVariables(List<Entry> entries) {
        Set<String> images = new LinkedHashSet<>();
        Set<String> newTags = new LinkedHashSet<>();
        Set<String> newDigests = new LinkedHashSet<>();
        Set<String> oldVersions = new LinkedHashSet<>();
        Set<String> newVersions = new LinkedHashSet<>();
        for (Entry entry : entries) {
            for (ImageUpdate update : entry.request().updates()) {
                images.add(update.newName() != null ? update.newName() : update.image());
                addIfPresent(newTags, update.newTag());
                addIfPresent(newDigests, update.newDigest());
                addIfPresent(newVersions, update.newTag() != null
                        ? update.newTag() + (update.newDigest() != null ? "@" + update.newDigest() : "")
                        : update.newDigest());
            }
            for (Change change : entry.changes()) {
                addIfPresent(oldVersions, versionOf(change.oldValue()));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("image", String.join(", ", images));
        values.put("newTag", String.join(", ", newTags));
        values.put("newDigest", String.join(", ", newDigests));
        values.put("oldVersion", String.join(", ", oldVersions));
        values.put("newVersion", String.join(", ", newVersions));
        return values;
    }

    private static EditJournal journal(Path workTree) throws IOException {
        return EditJournal.forCheckout(workTree)
                .orElseThrow(() -> new IOException(Messages.PendingEdits_notACheckout(workTree)));
    }

    /** The tag and/or digest of a whole reference ({@code repo:1.2@sha256:...}), or a bare tag or digest as it is. */
    private static String versionOf(String value) {
        if (value == null || value.startsWith("sha256:") || !value.contains(":") && !value.contains("@")) {
            return value;
        }
        int at = value.indexOf('@');
        int colon = value.indexOf(':', value.lastIndexOf('/') + 1);
        if (at >= 0 && (colon < 0 || colon > at)) {
            return value.substring(at + 1);
        }
        return colon >= 0 ? value.substring(colon + 1) : value;
    }

    private static void addIfPresent(Set<String> values, String value) {
        if (value != null && !value.isBlank()) {
            values.add(value);
        }
    }

    private static String join(String directory, String file) {
        return directory.isEmpty() || directory.equals(".") ? file : directory + "/" + file;
    }
}
