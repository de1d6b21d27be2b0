package io.jenkins.plugins.gitops.core.git;

import java.util.List;
import java.util.Map;

/**
 * What one application of a {@link WorkTreeEdit} did.
 *
 * @param changedFiles     repository-relative paths of the files written; empty when everything already had
 *                         the requested values
 * @param messageVariables values for the commit message template ({@link CommitMessageTemplate#VARIABLES})
 */
public record EditOutcome(List<String> changedFiles, Map<String, String> messageVariables) {

    public EditOutcome {
        changedFiles = List.copyOf(changedFiles);
        messageVariables = Map.copyOf(messageVariables);
    }

    public boolean changed() {
        return !changedFiles.isEmpty();
    }

    public static EditOutcome unchanged() {
        return new EditOutcome(List.of(), Map.of());
    }
}
