package io.jenkins.plugins.gitops.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A duration as people type it for a timeout: {@code 300} (seconds), {@code 300s}, {@code 5m}, {@code 1h},
 * {@code 1500ms}, or ISO-8601 ({@code PT5M}). The one parser for every timeout the tool and the plugin accept.
 */
public final class DurationText {

    private DurationText() {}

    /**
     * @throws IllegalArgumentException naming the text when it is not a positive duration
     */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        try {
            if (t.startsWith("pt")) {
                duration = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                duration = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                duration = Duration.ofSeconds(Long.parseLong(t));
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 300s, 5m, 1h; a plain number is seconds)");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        return duration;
    }
}
