package io.jenkins.plugins.gitops.core.git;

/** What the server said to one push attempt. */
public sealed interface PushOutcome {

    /** The branch now points at the pushed commit. */
    record Accepted(String commit) implements PushOutcome {}

    /**
     * The branch already pointed at this very commit: a concurrent update made the identical commit (same parent,
     * tree, identities, message and second) and pushed it first, so this push changed nothing.
     */
    record AlreadyOnBranch(String commit) implements PushOutcome {}

    /** Someone else moved the branch first (non-fast-forward or a lost ref lock): fetch, re-apply, retry. */
    record LostRace(String serverMessage) implements PushOutcome {}

    /** Refused for a reason that retrying cannot fix: a hook, a protected branch, missing rights. */
    record Rejected(String serverMessage) implements PushOutcome {}
}
