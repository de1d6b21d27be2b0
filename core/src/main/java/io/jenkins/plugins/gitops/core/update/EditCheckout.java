package io.jenkins.plugins.gitops.core.update;

import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.manifest.EditReach;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import java.util.List;

/**
 * A clone for edits known before it is made: only the files they can read or change ({@link EditReach}) are written
 * to disk, so that an edit of one application in a 20,000-file repository writes a few files, not 20,000.
 */
public final class EditCheckout {

    private EditCheckout() {}

    /** {@code options} writing only what {@code requests} (relative to the repository root) can reach. */
    public static CloneOptions narrowed(CloneOptions options, List<EditRequest> requests) {
        return EditReach.of(requests).map(reach -> options.withSelection(reach::reaches)).orElse(options);
    }
}
