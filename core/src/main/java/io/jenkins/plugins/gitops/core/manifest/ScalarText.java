package io.jenkins.plugins.gitops.core.manifest;

import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/** How a new string value is written so that it reads back as that same string. */
final class ScalarText {

    private static final Resolver RESOLVER = new Resolver();
    private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

    private ScalarText() {}

    /**
     * The source text for {@code value} in the style of the scalar it replaces: quoted styles are kept;
     * a plain scalar stays plain only when the new value reads back as the same string (so {@code 1.10}
     * or {@code 123} get double quotes and stay strings).
     */
    static String format(String value, ScalarStyle style) {
        return switch (style) {
            case DOUBLE_QUOTED -> doubleQuoted(value);
            case SINGLE_QUOTED -> "'" + value.replace("'", "''") + "'";
            default -> plainSafe(value) ? value : doubleQuoted(value);
        };
    }

    static String doubleQuoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Whether {@code value} written plain reads back as the string {@code value}, in block and flow
     * context alike.
     */
    static boolean plainSafe(String value) {
        if (value.isEmpty() || INDICATORS.indexOf(value.charAt(0)) >= 0 || value.contains(": ")
                || value.contains(" #") || value.endsWith(":") || !value.strip().equals(value)) {
            return false;
        }
        for (char c : value.toCharArray()) {
            if (c < 0x20 || ",[]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return RESOLVER.resolve(NodeId.scalar, value, true).equals(Tag.STR);
    }
}
