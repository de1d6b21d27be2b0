package io.jenkins.plugins.gitops.core.git;

import java.util.List;
import java.util.Map;

/**
 * What one application of a {@link WorkTreeEdit} did.
 *
 * @param changedFiles     repository-relative paths of the files written; empty when everything already had
 *                         the requested values
 * @param messageVariables values for the commit message template ({@link CommitMessageTemplate#VARIABLES})
 * @param values           the values changed, for a reviewer (a pull request's table); may be empty when unknown
 */
public record EditOutcome(List<String> changedFiles, Map<String, String> messageVariables, List<ValueChange> values) {

    public EditOutcome {
        changedFiles = List.copyOf(changedFiles);
        messageVariables = Map.copyOf(messageVariables);
        values = List.copyOf(values);
    }

    /** An outcome that does not say which values changed. */
    public EditOutcome(List<String> changedFiles, Map<String, String> messageVariables) {
        this(changedFiles, messageVariables, List.of());
    }

    public boolean changed() {
        return !changedFiles.isEmpty();
    }

    public static EditOutcome unchanged() {
        return new EditOutcome(List.of(), Map.of());
    }
}
