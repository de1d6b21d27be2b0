package io.jenkins.plugins.gitops.core.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate} challenge: {@code Basic realm="..."} or
 * {@code Bearer realm="...",service="...",scope="...",error="insufficient_scope"}.
 *
 * @param scheme     {@code basic} or {@code bearer} (lower case)
 * @param parameters the parameters, names in lower case
 */
record Challenge(String scheme, Map<String, String> parameters) {

    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z_][\\w-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    /** The challenge in {@code header}, when it is a Basic or Bearer one. */
    static Optional<Challenge> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        if (!scheme.equals("basic") && !scheme.equals("bearer")) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (space >= 0) {
            Matcher m = PARAMETER.matcher(trimmed.substring(space + 1));
            while (m.find()) {
                String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
                parameters.put(m.group(1).toLowerCase(Locale.ROOT), value);
            }
        }
        return Optional.of(new Challenge(scheme, Map.copyOf(parameters)));
    }

    boolean bearer() {
        return scheme.equals("bearer");
    }

    String parameter(String name) {
        return parameters.get(name);
    }
}
