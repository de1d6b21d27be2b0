package io.jenkins.plugins.gitops.core.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an edit found and changed (or would change, for a plan).
 *
 * @param outcome overall: {@link Outcome#CHANGED} when anything changes; otherwise
 *                {@link Outcome#NOT_FOUND} when some image was referenced nowhere, else
 *                {@link Outcome#UNCHANGED}
 * @param images  the outcome per requested image, in request order
 * @param changes every changed value, by file then position
 * @param files   the changed files' whole texts (not in {@link #toJson()}; see {@link #unifiedDiff()})
 */
@JsonIgnoreProperties({"files"})
public record EditReport(Outcome outcome, List<ImageResult> images, List<Change> changes, List<FileEdit> files) implements Serializable {

    /** Created on first use: loading Jackson costs a command-line run that never needs JSON. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public EditReport {
        images = List.copyOf(images);
        changes = List.copyOf(changes);
        files = List.copyOf(files);
    }

    /** How an edit went, overall or for one image. */
    public enum Outcome {
        /** At least one value changes. */
        CHANGED,
        /** The image is referenced, and every reference already has the requested values. */
        UNCHANGED,
        /** No reference to the image was found in the scanned files. */
        NOT_FOUND
    }

    /**
     * The result for one requested image.
     *
     * @param image      the image as requested
     * @param outcome    CHANGED, UNCHANGED (found, already up to date) or NOT_FOUND
     * @param references how many references to it were found (changed or not)
     */
    public record ImageResult(String image, Outcome outcome, int references) implements Serializable {}

    /**
     * Several edits of one checkout as one report (an application's sources edited one request each): changes and
     * files in order, each image's references summed, its outcome the most telling (changed, then unchanged, then not
     * found).
     */
    public static EditReport combined(List<EditReport> reports) {
        Map<String, ImageResult> images = new LinkedHashMap<>();
        List<Change> changes = new ArrayList<>();
        List<FileEdit> files = new ArrayList<>();
        for (EditReport report : reports) {
            for (ImageResult image : report.images()) {
                images.merge(image.image(), image, (a, b) -> new ImageResult(a.image(),
                        a.outcome().ordinal() <= b.outcome().ordinal() ? a.outcome() : b.outcome(), a.references() + b.references()));
            }
            changes.addAll(report.changes());
            files.addAll(report.files());
        }
        Outcome outcome = !files.isEmpty() ? Outcome.CHANGED
                : images.values().stream().anyMatch(i -> i.outcome() == Outcome.NOT_FOUND) ? Outcome.NOT_FOUND : Outcome.UNCHANGED;
        return new EditReport(outcome, List.copyOf(images.values()), changes, files);
    }

    /** The changed files' paths, relative to the root. */
    public List<String> changedFiles() {
        return files.stream().map(FileEdit::file).toList();
    }

    /**
     * A unified diff ({@code diff -u} / {@code git diff} format, paths prefixed {@code a/} and {@code b/},
     * three lines of context) of every changed file; empty when nothing changes.
     */
    public String unifiedDiff() {
        StringBuilder out = new StringBuilder();
        for (FileEdit file : files) {
            out.append(UnifiedDiff.of(file));
        }
        return out.toString();
    }

    /** The outcome, per-image results and changes as JSON (for {@code --json}); file texts are left out. */
    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report always serialises", e);
        }
    }
}
