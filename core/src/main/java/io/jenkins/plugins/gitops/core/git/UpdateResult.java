package io.jenkins.plugins.gitops.core.git;

import java.util.List;

/** How the update loop ended when it did not fail. */
public sealed interface UpdateResult {

    String branch();

    int attempts();

    /** The edit was committed and the push accepted. */
    record Pushed(String commit, String branch, int attempts, List<String> files) implements UpdateResult {
        public Pushed {
            files = List.copyOf(files);
        }
    }

    /** Nothing to commit: the branch already had the requested values (perhaps pushed by someone else meanwhile). */
    record NoChange(String branch, int attempts, String reason) implements UpdateResult {}
}
