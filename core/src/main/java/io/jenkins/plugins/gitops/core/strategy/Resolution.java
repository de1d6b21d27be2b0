package io.jenkins.plugins.gitops.core.strategy;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import java.util.List;

/** What the resolver decided: a version to deploy, or no candidate (an outcome, not an error). */
public sealed interface Resolution {

    /** Every tag looked at, in the registry's order, with its verdict. */
    List<Candidate> candidates();

    /** One sentence saying what was chosen and why, or why nothing was. */
    String reason();

    /**
     * A version to deploy.
     *
     * @param reference  the image with the chosen tag, and the digest when pinned or following a tag by digest
     * @param tag        the chosen tag
     * @param digest     the digest written, or {@code null} when not pinned
     * @param reason     what was chosen and why
     * @param candidates every tag looked at
     */
    record Chosen(ImageReference reference, String tag, String digest, String reason, List<Candidate> candidates)
            implements Resolution {
        public Chosen {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * Nothing to deploy: no tag is eligible, or the image given already is the version the strategy chooses.
     *
     * @param why        which of the two
     * @param current    the current version when it is the newest, else {@code null}
     * @param reason     a sentence naming the filters and counts
     * @param candidates every tag looked at
     */
    record NoCandidate(Why why, ImageReference current, String reason, List<Candidate> candidates) implements Resolution {
        public NoCandidate {
            candidates = List.copyOf(candidates);
        }
    }

    /** Why there is no candidate. */
    enum Why {
        /** No tag passed the filters and the strategy. */
        NOTHING_MATCHES,
        /** The version given with the image is the one the strategy chooses. */
        CURRENT_IS_NEWEST
    }
}
