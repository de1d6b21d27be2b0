package io.jenkins.plugins.gitops.core.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.List;

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
