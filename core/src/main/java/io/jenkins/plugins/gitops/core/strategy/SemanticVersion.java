package io.jenkins.plugins.gitops.core.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version read from a tag as Image Updater reads it: {@code MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]} with an
 * optional leading {@code v}; a missing minor or patch is 0 ({@code v1.4} is 1.4.0). Ordered by SemVer 2.0
 * precedence (build metadata ignored).
 *
 * @param major      the major version
 * @param minor      the minor version
 * @param patch      the patch version
 * @param prerelease the pre-release identifiers ({@code rc.1}), or empty
 */
public record SemanticVersion(long major, long minor, long patch, String prerelease) implements Comparable<SemanticVersion> {

    private static final Pattern VERSION = Pattern.compile(
            "v?(0|[1-9]\\d{0,17})(?:\\.(0|[1-9]\\d{0,17}))?(?:\\.(0|[1-9]\\d{0,17}))?"
                    + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    /** The version {@code text} spells, or empty when it is not one. */
    public static Optional<SemanticVersion> parse(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SemanticVersion(Long.parseLong(m.group(1)), number(m.group(2)), number(m.group(3)),
                m.group(4) == null ? "" : m.group(4)));
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** The same version without its pre-release part. */
    SemanticVersion release() {
        return new SemanticVersion(major, minor, patch, "");
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int c = Long.compare(major, other.major);
        c = c != 0 ? c : Long.compare(minor, other.minor);
        c = c != 0 ? c : Long.compare(patch, other.patch);
        if (c != 0 || prerelease.equals(other.prerelease)) {
            return c;
        }
        if (prerelease.isEmpty() || other.prerelease.isEmpty()) {
            return prerelease.isEmpty() ? 1 : -1; // a release ranks above its pre-releases
        }
        List<String> mine = identifiers(prerelease);
        List<String> theirs = identifiers(other.prerelease);
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
            c = compareIdentifier(mine.get(i), theirs.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(mine.size(), theirs.size());
    }

    private static List<String> identifiers(String prerelease) {
        return new ArrayList<>(List.of(prerelease.split("\\.")));
    }

    private static int compareIdentifier(String a, String b) {
        boolean numericA = a.chars().allMatch(Character::isDigit);
        boolean numericB = b.chars().allMatch(Character::isDigit);
        if (numericA && numericB) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1; // numeric identifiers rank below alphanumeric ones
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (prerelease.isEmpty() ? "" : "-" + prerelease);
    }
}
