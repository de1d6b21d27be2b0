package io.jenkins.plugins.gitops.core.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed key path such as {@code spec.template.spec.containers[name=app].image}: mapping keys
 * separated by dots, and list selectors {@code [0]} (index), {@code [key=value]} (the items whose
 * {@code key} is {@code value}) and {@code [*]} (every item).
 */
record KeyPath(String text, List<Segment> segments) {

    sealed interface Segment permits Key, Index, Select, Every {}

    record Key(String name) implements Segment {}

    record Index(int index) implements Segment {}

    record Select(String key, String value) implements Segment {}

    record Every() implements Segment {}

    static KeyPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("key path is empty");
        }
        List<Segment> segments = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw invalid(text, "'[' at position " + (i + 1) + " is not closed");
                }
                segments.add(selector(text, text.substring(i + 1, close)));
                i = close + 1;
                if (i < text.length() && text.charAt(i) == '.') {
                    i++;
                    if (i == text.length()) {
                        throw invalid(text, "it ends with '.'");
                    }
                }
            } else {
                int end = i;
                while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                if (end == i) {
                    throw invalid(text, "empty key at position " + (i + 1));
                }
                segments.add(new Key(text.substring(i, end)));
                i = end;
                if (i < text.length() && text.charAt(i) == '.') {
                    i++;
                    if (i == text.length()) {
                        throw invalid(text, "it ends with '.'");
                    }
                }
            }
        }
        return new KeyPath(text, List.copyOf(segments));
    }

    private static Segment selector(String text, String inside) {
        if (inside.equals("*")) {
            return new Every();
        }
        if (inside.matches("[0-9]+")) {
            return new Index(Integer.parseInt(inside));
        }
        int eq = inside.indexOf('=');
        if (eq > 0 && eq < inside.length() - 1) {
            return new Select(inside.substring(0, eq), inside.substring(eq + 1));
        }
        throw invalid(text, "selector '[" + inside + "]' must be [N], [key=value] or [*]");
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid key path '" + text + "': " + why);
    }

    @Override
    public String toString() {
        return text;
    }
}
