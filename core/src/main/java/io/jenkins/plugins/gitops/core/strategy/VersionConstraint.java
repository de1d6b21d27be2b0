package io.jenkins.plugins.gitops.core.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version constraint in the syntax Image Updater takes (that of the Go library it uses): comparisons
 * {@code = != > >= < <=}, {@code ~1.2} (patch updates), {@code ^1.2} (minor updates; {@code ^0.2} patch updates),
 * wildcards {@code 1.2.x} and {@code *}, hyphen ranges {@code 1.2 - 1.4}; comparisons separated by spaces or commas
 * must all hold, {@code ||} separates alternatives. A missing minor or patch is a wildcard ({@code =1.2} is
 * {@code 1.2.x}, {@code <=1.2} is {@code <1.3.0}).
 *
 * <p>A pre-release version satisfies an alternative only when one of its comparisons names a pre-release
 * ({@code >=2.0.0-rc.1}); without a constraint no pre-release is chosen.
 */
public final class VersionConstraint {

    private static final Pattern COMPARISON = Pattern.compile(
            "(=|!=|>=|=>|<=|=<|>|<|~>|~|\\^)?v?(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?"
                    + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");
    private static final Pattern HYPHEN_RANGE = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");

    /** One comparison: whether a version satisfies it, and whether it names a pre-release. */
    private record Comparison(Predicate<SemanticVersion> test, boolean namesPrerelease) {}

    private final String text;
    private final List<List<Comparison>> alternatives;

    private VersionConstraint(String text, List<List<Comparison>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /** No constraint: every release. */
    public static final VersionConstraint ANY = new VersionConstraint("", List.of(List.of()));

    /**
     * Parses {@code text}; blank is {@link #ANY}.
     *
     * @throws IllegalArgumentException naming the part that is not a comparison
     */
    public static VersionConstraint parse(String text) {
        if (text == null || text.isBlank()) {
            return ANY;
        }
        List<List<Comparison>> alternatives = new ArrayList<>();
        for (String alternative : text.split("\\|\\|", -1)) {
            String normal = HYPHEN_RANGE.matcher(alternative.strip()).replaceAll(">=$1 <=$2")
                    .replaceAll("(=|!=|>=|=>|<=|=<|>|<|~>|~|\\^)\\s+", "$1");
            List<Comparison> all = new ArrayList<>();
            for (String token : normal.split("[\\s,]+")) {
                if (!token.isEmpty()) {
                    all.add(comparison(text, token));
                }
            }
            if (all.isEmpty()) {
                throw new IllegalArgumentException("constraint '" + text + "' has an empty alternative around '||'");
            }
            alternatives.add(List.copyOf(all));
        }
        return new VersionConstraint(text.strip(), List.copyOf(alternatives));
    }

    /** Whether {@code version} satisfies the constraint. */
    public boolean test(SemanticVersion version) {
        for (List<Comparison> alternative : alternatives) {
            boolean prereleaseAllowed = alternative.stream().anyMatch(Comparison::namesPrerelease);
            if ((!version.isPrerelease() || prereleaseAllowed) && alternative.stream().allMatch(c -> c.test().test(version))) {
                return true;
            }
        }
        return false;
    }

    /** The constraint as given (empty for {@link #ANY}). */
    @Override
    public String toString() {
        return text;
    }

    private static Comparison comparison(String constraint, String token) {
        Matcher m = COMPARISON.matcher(token);
        if (!m.matches()) {
            throw new IllegalArgumentException("constraint '" + constraint + "': '" + token
                    + "' is not a version comparison (e.g. ^1.4, ~2.0, >=1.2 <2, 1.2.x)");
        }
        String op = m.group(1) == null ? "=" : m.group(1);
        long[] parts = new long[3];
        int count = 0;
        for (; count < 3; count++) {
            String part = m.group(count + 2);
            if (part == null || part.equalsIgnoreCase("x") || part.equals("*")) {
                break;
            }
            parts[count] = Long.parseLong(part);
        }
        int given = count; // how many of major, minor, patch are numbers; the rest are wildcards
        String prerelease = given == 3 && m.group(5) != null ? m.group(5) : "";
        SemanticVersion floor = new SemanticVersion(parts[0], parts[1], parts[2], prerelease);
        SemanticVersion ceiling = switch (given) {
            case 0 -> null;
            case 1 -> new SemanticVersion(parts[0] + 1, 0, 0, "");
            case 2 -> new SemanticVersion(parts[0], parts[1] + 1, 0, "");
            default -> null;
        };
        Predicate<SemanticVersion> inWildcard = v -> given == 3 ? v.compareTo(floor) == 0
                : given == 0 || (v.compareTo(floor) >= 0 && v.compareTo(ceiling) < 0);
        Predicate<SemanticVersion> test = switch (op) {
            case "=" -> inWildcard;
            case "!=" -> inWildcard.negate();
            case ">" -> given == 3 ? v -> v.compareTo(floor) > 0 : given == 0 ? v -> false : v -> v.compareTo(ceiling) >= 0;
            case ">=", "=>" -> v -> v.compareTo(floor) >= 0;
            case "<" -> given == 0 ? v -> false : v -> v.compareTo(floor) < 0;
            case "<=", "=<" -> given == 3 ? v -> v.compareTo(floor) <= 0 : given == 0 ? v -> true : v -> v.compareTo(ceiling) < 0;
            case "~", "~>" -> {
                SemanticVersion upper = given <= 1 ? new SemanticVersion(parts[0] + 1, 0, 0, "")
                        : new SemanticVersion(parts[0], parts[1] + 1, 0, "");
                yield given == 0 ? v -> true : v -> v.compareTo(floor) >= 0 && v.compareTo(upper) < 0;
            }
            default -> { // ^
                SemanticVersion upper = parts[0] > 0 || given == 1 ? new SemanticVersion(parts[0] + 1, 0, 0, "")
                        : parts[1] > 0 || given == 2 ? new SemanticVersion(0, parts[1] + 1, 0, "")
                        : new SemanticVersion(0, 0, parts[2] + 1, "");
                yield given == 0 ? v -> true : v -> v.compareTo(floor) >= 0 && v.compareTo(upper) < 0;
            }
        };
        return new Comparison(test, !prerelease.isEmpty());
    }
}
