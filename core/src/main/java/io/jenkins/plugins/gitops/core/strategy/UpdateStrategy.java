package io.jenkins.plugins.gitops.core.strategy;

import java.util.Locale;

/** How the version to deploy is chosen, as Argo CD Image Updater (v1.x) names its update strategies. */
public enum UpdateStrategy {
    /** The highest tag that is a semantic version satisfying the constraint (the default). */
    SEMVER("semver"),
    /** The tag whose image was built last (its configuration's {@code created}); Image Updater's older {@code latest}. */
    NEWEST_BUILD("newest-build"),
    /** One mutable tag, followed by its digest. */
    DIGEST("digest"),
    /** The last tag in lexical order; Image Updater's older {@code name}. */
    ALPHABETICAL("alphabetical");

    private final String spelling;

    UpdateStrategy(String spelling) {
        this.spelling = spelling;
    }

    /**
     * The strategy spelt {@code text} (case-insensitive), with Image Updater's older names {@code latest} and
     * {@code name} as aliases.
     *
     * @throws IllegalArgumentException naming the known strategies
     */
    public static UpdateStrategy parse(String text) {
        String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (UpdateStrategy strategy : values()) {
            if (strategy.spelling.equals(key)) {
                return strategy;
            }
        }
        return switch (key) {
            case "latest" -> NEWEST_BUILD;
            case "name" -> ALPHABETICAL;
            default -> throw new IllegalArgumentException("'" + text + "' is not an update strategy; use semver,"
                    + " newest-build, digest or alphabetical (latest and name are the older names of newest-build"
                    + " and alphabetical)");
        };
    }

    /** The name as written in options and docs: {@code newest-build}. */
    @Override
    public String toString() {
        return spelling;
    }
}
