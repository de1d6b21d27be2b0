package io.jenkins.plugins.gitops.core.strategy;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which tags a strategy may choose from, applied before the strategy: {@code allowTags} ({@code regexp:PATTERN}, a
 * match anywhere in the tag as Go's {@code MatchString} does, or {@code any}) and {@code ignoreTags} (shell globs:
 * {@code *}, {@code ?}, {@code [a-z]}, {@code [^0-9]}; a tag matching any one is left out).
 *
 * @param allow  the allow pattern, or {@code null} for any tag
 * @param ignore the ignore globs, compiled
 * @param allowText   {@code allowTags} as given (empty for any)
 * @param ignoreText  {@code ignoreTags} as given
 */
public record TagFilter(Pattern allow, List<Pattern> ignore, String allowText, List<String> ignoreText) {

    /** Every tag. */
    public static final TagFilter ANY = new TagFilter(null, List.of(), "", List.of());

    public TagFilter {
        ignore = List.copyOf(ignore);
        ignoreText = List.copyOf(ignoreText);
    }

    /**
     * The filter of {@code allowTags} ({@code null}, blank or {@code any}: every tag) and {@code ignoreTags}.
     *
     * @throws IllegalArgumentException when {@code allowTags} is not {@code regexp:...} or {@code any}, its regular
     *         expression does not compile, or a glob is malformed; the message names the text
     */
    public static TagFilter of(String allowTags, List<String> ignoreTags) {
        Pattern allow = null;
        String allowText = allowTags == null ? "" : allowTags.strip();
        if (!allowText.isEmpty() && !allowText.equals("any")) {
            if (!allowText.startsWith("regexp:")) {
                throw new IllegalArgumentException("allowTags '" + allowText + "' is neither 'regexp:PATTERN' nor 'any'");
            }
            try {
                allow = Pattern.compile(allowText.substring("regexp:".length()));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("allowTags '" + allowText + "' is not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex(), e);
            }
        }
        List<String> globs = ignoreTags == null ? List.of()
                : ignoreTags.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new TagFilter(allow, globs.stream().map(TagFilter::glob).toList(), allow == null ? "" : allowText, globs);
    }

    /** Whether {@code allowTags} lets {@code tag} through. */
    public boolean allows(String tag) {
        return allow == null || allow.matcher(tag).find();
    }

    /** The first ignore glob {@code tag} matches, or {@code null}. */
    public String ignoredBy(String tag) {
        for (int i = 0; i < ignore.size(); i++) {
            if (ignore.get(i).matcher(tag).matches()) {
                return ignoreText.get(i);
            }
        }
        return null;
    }

    /** A shell glob as a regular expression, as Go's {@code filepath.Match} reads it. */
    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '\\' -> {
                    if (++i >= glob.length()) {
                        throw new IllegalArgumentException("ignoreTags '" + glob + "' ends with an escaping '\\'");
                    }
                    regex.append(Pattern.quote(String.valueOf(glob.charAt(i))));
                }
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("ignoreTags '" + glob + "' has a '[' without its ']'");
                    }
                    String set = glob.substring(i + 1, end);
                    boolean negated = set.startsWith("^") || set.startsWith("!");
                    regex.append('[').append(negated ? "^" : "")
                            .append(set.substring(negated ? 1 : 0).replace("\\", "\\\\").replace("[", "\\[").replace("&", "\\&"))
                            .append(']');
                    i = end;
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
