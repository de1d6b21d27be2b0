package io.jenkins.plugins.gitops.core.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.EditJournal;
import io.jenkins.plugins.gitops.core.git.EditOutcome;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.ValueChange;
import io.jenkins.plugins.gitops.core.git.WorkTreeEdit;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.Change;
import io.jenkins.plugins.gitops.core.manifest.CompanionFile;
import io.jenkins.plugins.gitops.core.manifest.EditReport;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Joins the manifest editor to the git update loop: records what an image edit ({@code gitops set-image},
 * {@code gitopsSetImage}) changed in a checkout's {@link EditJournal}, replays those requests on a new tip after a
 * lost push race, and turns editor reports into the commit message's values. The CLI and the Jenkins plugin share
 * the journal's entry format through this class, so either can push what the other edited.
 */
public final class JournalledEdits {

    /**
     * One journalled {@code set-image}.
     *
     * @param directory the directory it ran in, relative to the work tree ({@code ""} for the root)
     * @param request   what it was asked to do
     * @param changes   what it changed then (for the commit message)
     */
    public record Entry(String directory, EditRequest request, List<Change> changes) {}

    private JournalledEdits() {}

    /**
     * Applies an image edit ({@code gitops set-image}, {@code gitopsSetImage}) in {@code directory} and, when it is
     * inside a git checkout and changes a tracked file, journals it for the push in the same all-or-nothing change
     * set: should the journal not be writable (a read-only {@code .git}, a corrupt journal), no file changes, and
     * after a crash the next run completes or undoes files and journal together.
     *
     * @throws GitOperationException BAD_INPUT when the journal is corrupt (nothing changed)
     */
    public static EditReport applyAndRecord(Path directory, EditRequest request) {
        return new ManifestEditor(directory).apply(request, report -> journalEntry(directory, request, report)
                .map(appended -> List.of(new CompanionFile(appended.file(), appended.current(), appended.next())))
                .orElse(List.of()));
    }

    private static Optional<EditJournal.Appended> journalEntry(Path directory, EditRequest request, EditReport report) {
        // Cheapest checks first: outside a checkout neither JGit nor Jackson (the journal) need loading.
        if (report.outcome() != EditReport.Outcome.CHANGED || !mayBeInCheckout(directory)) {
            return Optional.empty();
        }
        Optional<Path> workTree = workTreeOf(directory);
        if (workTree.isEmpty()) {
            return Optional.empty();
        }
        String relative;
        try {
            relative = workTree.get().toRealPath().relativize(directory.toRealPath()).toString().replace('\\', '/');
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Cannot resolve " + directory + ": " + e.getMessage(), e);
        }
        if (!isPartOfTheRepository(directory, relative, report.changedFiles())) {
            return Optional.empty(); // an untracked directory that merely lies inside some other checkout: nothing for push to do
        }
        Optional<EditJournal> journal = EditJournal.forCheckout(directory);
        if (journal.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("directory", relative);
        entry.set("request", readTree(request.toJson()));
        entry.set("changes", Json.MAPPER.valueToTree(report.changes()));
        return Optional.of(journal.get().appending(entry));
    }

    /**
     * The journalled edits, oldest first. A change set a killed {@code set-image} left half-written is completed or
     * undone first, so that the journal and the files agree and a push never sends part of a set.
     */
    public static List<Entry> pending(EditJournal journal) {
        ManifestEditor.recoverInterruptedChangeSet(journal.checkout());
        List<Entry> entries = new ArrayList<>();
        for (JsonNode node : journal.entries()) {
            try {
                List<Change> changes = new ArrayList<>();
                for (JsonNode change : node.path("changes")) {
                    changes.add(Json.MAPPER.treeToValue(change, Change.class));
                }
                entries.add(new Entry(node.path("directory").asText(""), EditRequest.fromJson(node.path("request").toString()), changes));
            } catch (IOException | IllegalArgumentException e) {
                throw new GitOperationException(GitOperationException.Kind.BAD_INPUT,
                        "The edit journal " + journal.file() + " holds an entry this version cannot read (" + e.getMessage()
                                + "); delete it and run set-image again.");
            }
        }
        return entries;
    }

    /**
     * Every file the entries changed when they were made, relative to the work tree (created files included: git
     * lists only modified tracked files).
     */
    public static List<String> files(List<Entry> entries) {
        Set<String> files = new LinkedHashSet<>();
        entries.forEach(entry -> entry.changes().forEach(change -> files.add(join(entry.directory(), change.file()))));
        return new ArrayList<>(files);
    }

    /** Applies the entries' requests to a work tree, in order; the loop's re-application after a lost race. */
    public static WorkTreeEdit replay(List<Entry> entries, Optional<String> app) {
        return workTree -> {
            List<String> files = new ArrayList<>();
            List<Entry> applied = new ArrayList<>();
            for (Entry entry : entries) {
                Path root = workTree.resolve(entry.directory());
                EditReport report = new ManifestEditor(root).apply(entry.request());
                if (report.outcome() == EditReport.Outcome.NOT_FOUND) {
                    throw new ImageNotFoundException(
                            "No reference to " + images(List.of(entry)) + " in "
                                    + (entry.directory().isEmpty() ? "the repository" : entry.directory())
                                    + " on the branch's tip (did someone else remove it?); nothing was pushed.");
                }
                report.changedFiles().forEach(file -> files.add(join(entry.directory(), file)));
                applied.add(new Entry(entry.directory(), entry.request(), report.changes()));
            }
            return new EditOutcome(List.copyOf(new LinkedHashSet<>(files)), messageValues(applied, app), valueChanges(applied));
        };
    }

    /** What the journalled edits changed when they were made, for a push of a work tree that already holds them. */
    public static EditOutcome alreadyApplied(List<String> changedFiles, List<Entry> entries, Optional<String> app) {
        return new EditOutcome(changedFiles, messageValues(entries, app), valueChanges(entries));
    }

    /** Each changed value with its file (relative to the work tree) and the image it belongs to. */
    public static List<ValueChange> valueChanges(List<Entry> entries) {
        List<ValueChange> values = new ArrayList<>();
        for (Entry entry : entries) {
            List<String> images = entry.request().updates().stream().map(ImageUpdate::image).distinct().toList();
            for (Change change : entry.changes()) {
                values.add(new ValueChange(join(entry.directory(), change.file()), imageOf(change, images),
                        change.oldValue(), change.newValue()));
            }
        }
        return values;
    }

    /** The requested image a change belongs to: the only one, else the one its value or field names. */
    private static String imageOf(Change change, List<String> images) {
        if (images.size() == 1) {
            return images.get(0);
        }
        for (String image : images) {
            String name = image.substring(image.lastIndexOf('/') + 1);
            for (String text : new String[] {change.oldValue(), change.newValue(), change.field()}) {
                if (text != null && (text.startsWith(image) || text.contains(name))) {
                    return image;
                }
            }
        }
        return String.join(", ", images);
    }

    /** Values for the commit message template: images and their old and new versions. */
    public static Map<String, String> messageValues(List<Entry> entries, Optional<String> app) {
        Set<String> oldTags = new LinkedHashSet<>();
        Set<String> newTags = new LinkedHashSet<>();
        Set<String> oldDigests = new LinkedHashSet<>();
        Set<String> newDigests = new LinkedHashSet<>();
        for (Entry entry : entries) {
            for (Change change : entry.changes()) {
                collect(change.field(), change.oldValue(), oldTags, oldDigests);
                collect(change.field(), change.newValue(), newTags, newDigests);
            }
            for (ImageUpdate update : entry.request().updates()) {
                addIfPresent(newTags, update.newTag());
                addIfPresent(newDigests, update.newDigest());
            }
        }
        Map<String, String> values = new HashMap<>();
        values.put("image", images(entries));
        values.put("oldTag", String.join(", ", oldTags));
        values.put("newTag", String.join(", ", newTags));
        values.put("oldDigest", String.join(", ", oldDigests));
        values.put("newDigest", String.join(", ", newDigests));
        values.put("oldVersion", version(oldTags, oldDigests));
        values.put("newVersion", version(newTags, newDigests));
        app.ifPresent(name -> values.put("app", name));
        return values;
    }

    /** Sorts one changed value into tags and digests: a kustomize field, or a whole image reference. */
    static void collect(String field, String value, Set<String> tags, Set<String> digests) {
        if (value == null || value.isEmpty()) {
            return;
        }
        String key = field == null ? "" : field.substring(field.lastIndexOf('.') + 1);
        if (key.equalsIgnoreCase("digest") || value.startsWith("sha256:")) {
            digests.add(value);
        } else if (key.equalsIgnoreCase("newTag") || key.equalsIgnoreCase("tag")) {
            tags.add(value);
        } else if (!key.equalsIgnoreCase("newName") && !key.equalsIgnoreCase("repository") && !key.equalsIgnoreCase("registry")) {
            try {
                ImageReference reference = ImageReference.parse(value);
                addIfPresent(tags, reference.tag());
                addIfPresent(digests, reference.digest());
            } catch (IllegalArgumentException e) {
                tags.add(value); // not a reference: show it as it is
            }
        }
    }

    private static String version(Set<String> tags, Set<String> digests) {
        String tag = String.join(", ", tags);
        String digest = String.join(", ", digests.stream().map(JournalledEdits::shortDigest).toList());
        if (tag.isEmpty()) {
            return digest;
        }
        return digest.isEmpty() ? tag : tag + "@" + digest;
    }

    private static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon > 0 && digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    private static String images(List<Entry> entries) {
        Set<String> images = new LinkedHashSet<>();
        entries.forEach(entry -> entry.request().updates().forEach(update -> images.add(update.image())));
        return String.join(", ", images);
    }

    private static void addIfPresent(Set<String> values, String value) {
        if (value != null && !value.isEmpty()) {
            values.add(value);
        }
    }

    private static String join(String directory, String file) {
        return directory.isEmpty() || directory.equals(".") ? file : directory + "/" + file;
    }

    /**
     * Whether the edit belongs to the checkout: it changed a tracked file, or it ran in a directory that holds
     * tracked files (then a file it created, such as a new {@code .argocd-source} file, is one to commit).
     */
    private static boolean isPartOfTheRepository(Path directory, String relative, List<String> files) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(directory.toAbsolutePath().toFile());
        try (Repository repository = builder.build()) {
            DirCache index = repository.readDirCache();
            if (files.stream().anyMatch(file -> index.findEntry(join(relative, file)) >= 0)) {
                return true;
            }
            String prefix = relative.isEmpty() || relative.equals(".") ? "" : relative + "/";
            for (int i = 0; i < index.getEntryCount(); i++) {
                if (index.getEntry(i).getPathString().startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code directory} or a parent holds a {@code .git} entry: without one, JGit would find no work tree. */
    private static boolean mayBeInCheckout(Path directory) {
        for (Path dir = directory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Path> workTreeOf(Path directory) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(directory.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository repository = builder.build()) {
            return repository.isBare() ? Optional.empty() : Optional.of(repository.getWorkTree().toPath().toAbsolutePath().normalize());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("an edit request always serialises to JSON", e);
        }
    }

    /** Loaded on first use: {@code gitops update} never journals and need not pay for Jackson's start-up. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** A journalled image is no longer referenced on the tip the edit was replayed on. */
    public static final class ImageNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ImageNotFoundException(String message) {
            super(message);
        }
    }
}
