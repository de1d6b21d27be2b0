package io.jenkins.plugins.gitops.core.strategy;

/**
 * One tag the resolver looked at, and what it made of it.
 *
 * @param tag     the tag
 * @param verdict why it was chosen, passed over or left out
 * @param detail  what the strategy read (the version, the build time, the digest), or why it was left out
 */
public record Candidate(String tag, Verdict verdict, String detail) {

    /** What became of a tag. */
    public enum Verdict {
        /** The tag chosen. */
        CHOSEN,
        /** Allowed and eligible, but another ranked higher. */
        ELIGIBLE,
        /** Left out by {@code allowTags}. */
        NOT_ALLOWED,
        /** Left out by an {@code ignoreTags} glob. */
        IGNORED,
        /** {@code semver}: the tag is not a semantic version. */
        NOT_SEMVER,
        /** {@code semver}: the version does not satisfy the constraint (or is a pre-release it does not name). */
        OUTSIDE_CONSTRAINT,
        /** {@code newest-build}: no image for any of the wanted platforms. */
        NO_PLATFORM
    }
}
