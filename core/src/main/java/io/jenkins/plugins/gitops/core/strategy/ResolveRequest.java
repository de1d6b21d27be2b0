package io.jenkins.plugins.gitops.core.strategy;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.registry.Platform;
import java.util.List;
import java.util.Objects;

/**
 * What to resolve: an image, a strategy and its settings.
 *
 * @param image      the image; its tag (and digest) are the current version, compared with the choice (for
 *                   {@code digest}, its tag is the one followed unless {@code followTag} is given)
 * @param strategy   the update strategy
 * @param constraint {@code semver}'s constraint ({@link VersionConstraint#ANY} for none)
 * @param filter     the allowTags / ignoreTags filter
 * @param pinDigest  also write the chosen tag's digest
 * @param platforms  {@code newest-build}: the platforms an index is judged on (default {@code linux/amd64})
 * @param followTag  {@code digest}: the tag to follow, or {@code null} for the image's tag
 */
public record ResolveRequest(ImageReference image, UpdateStrategy strategy, VersionConstraint constraint, TagFilter filter,
                             boolean pinDigest, List<Platform> platforms, String followTag) {

    public ResolveRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(strategy, "strategy");
        constraint = constraint == null ? VersionConstraint.ANY : constraint;
        filter = filter == null ? TagFilter.ANY : filter;
        platforms = platforms == null || platforms.isEmpty() ? List.of(Platform.LINUX_AMD64) : List.copyOf(platforms);
        if (followTag != null) {
            ImageReference.checkTag(followTag);
        }
        if (constraint != VersionConstraint.ANY && strategy != UpdateStrategy.SEMVER) {
            throw new IllegalArgumentException("a constraint applies to the semver strategy only, not " + strategy);
        }
    }

    /** A request with the defaults: no constraint, every tag, no pinning, {@code linux/amd64}. */
    public static ResolveRequest of(ImageReference image, UpdateStrategy strategy) {
        return new ResolveRequest(image, strategy, VersionConstraint.ANY, TagFilter.ANY, false, List.of(), null);
    }

    public ResolveRequest withConstraint(VersionConstraint newConstraint) {
        return new ResolveRequest(image, strategy, newConstraint, filter, pinDigest, platforms, followTag);
    }

    public ResolveRequest withFilter(TagFilter newFilter) {
        return new ResolveRequest(image, strategy, constraint, newFilter, pinDigest, platforms, followTag);
    }

    public ResolveRequest withPinDigest(boolean pin) {
        return new ResolveRequest(image, strategy, constraint, filter, pin, platforms, followTag);
    }

    public ResolveRequest withPlatforms(List<Platform> newPlatforms) {
        return new ResolveRequest(image, strategy, constraint, filter, pinDigest, newPlatforms, followTag);
    }

    public ResolveRequest withFollowTag(String tag) {
        return new ResolveRequest(image, strategy, constraint, filter, pinDigest, platforms, tag);
    }
}
