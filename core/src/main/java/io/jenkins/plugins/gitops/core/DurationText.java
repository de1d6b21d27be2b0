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

    /**
     * A duration for a message, in the largest unit that states it exactly: {@code 500 ms}, {@code 5 s}, {@code 2 min},
     * {@code 1 h}. A timeout given as {@code 5}, {@code 5s}, {@code 500ms} or {@code 2m} reads back in that unit; the
     * one format of every message that reports a duration the caller set.
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0 || millis == 0) {
            return millis + " ms";
        }
        long seconds = millis / 1000;
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
