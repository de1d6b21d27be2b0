package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The edits planned for one file: text splices into the original, and alongside each one what the
 * re-parsed document must show, so that {@link #verify} can prove nothing else moved. Values added as
 * whole structures are plain Java values: {@code String}, {@code Map<String, Object>} (ordered) or
 * {@code List<Object>}.
 */
final class DocumentEdits {

    private record Splice(int start, int end, String text) {}

    /** A value written verbatim and read back with {@code tag} (e.g. {@code true} as a boolean). */
    record Literal(String text, Tag tag) {}

    private final SourceFile source;
    private final YamlReader.Parsed parsed;
    private final int[] references;
    private final boolean[] changed;
    private final List<Splice> splices = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<Node, String> replaced = new IdentityHashMap<>();
    private final Map<Node, Map<String, Object>> addedKeys = new IdentityHashMap<>();
    private final Map<Node, Set<String>> removedKeys = new IdentityHashMap<>();
    private final Map<Node, List<Object>> appendedItems = new IdentityHashMap<>();
    private Map<String, Object> createdDocument;

    DocumentEdits(SourceFile source, YamlReader.Parsed parsed, int updateCount) {
        this.source = source;
        this.parsed = parsed;
        this.references = new int[updateCount];
        this.changed = new boolean[updateCount];
    }

    SourceFile source() {
        return source;
    }

    List<Node> documents() {
        return parsed.documents();
    }

    List<Change> changes() {
        return changes;
    }

    boolean hasChanges() {
        return !splices.isEmpty();
    }

    int references(int update) {
        return references[update];
    }

    boolean changed(int update) {
        return changed[update];
    }

    /** Counts a reference to update {@code update}'s image (changed or already up to date). */
    void found(int update) {
        references[update]++;
    }

    /**
     * Sets a scalar to {@code newValue}, keeping its quoting style (a plain scalar gets double quotes when
     * the value would not read back as a string). No-op when it already holds that string.
     *
     * @param key the mapping key the scalar is the value of, or {@code null} for a list item
     */
    void replace(int update, ScalarNode key, ScalarNode node, String newValue, TargetKind kind, String field) {
        // A plain 1.10 already "equal" to the requested tag still reads as the number 1.1: it gets quoted.
        if (node.getValue().equals(newValue) && node.getTag().equals(Tag.STR)) {
            return;
        }
        refuseIfShared(node, field);
        refuseIfTemplate(node, field);
        int start = source.index(node.getStartMark());
        int end = source.index(node.getEndMark());
        ScalarStyle style = node.getScalarStyle();
        String text = source.text();
        if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
            throw unsupported(node, field + " is a block scalar; write it as a one-line value to have it updated");
        }
        if (style == ScalarStyle.PLAIN && node.getValue().isEmpty()) {
            if (key == null) {
                throw unsupported(node, field + " is an empty list item");
            }
            int colon = text.indexOf(':', source.index(key.getEndMark()));
            splices.add(new Splice(colon + 1, colon + 1, " " + ScalarText.format(newValue, ScalarStyle.PLAIN)));
        } else {
            String written = text.substring(start, end);
            boolean consistent = switch (style) {
                case PLAIN -> written.equals(node.getValue());
                case DOUBLE_QUOTED -> written.startsWith("\"") && written.endsWith("\"");
                case SINGLE_QUOTED -> written.startsWith("'") && written.endsWith("'");
                default -> false;
            };
            if (!consistent) {
                throw unsupported(node, field + " spans several lines; write it on one line to have it updated");
            }
            splices.add(new Splice(start, end, ScalarText.format(newValue, style)));
        }
        replaced.put(node, newValue);
        changed[update] = true;
        changes.add(new Change(source.file(), YamlReader.line(node), kind, field, node.getValue(), newValue));
    }

    /** Adds {@code key: value} to a mapping, on the line after (or, in flow style, right after) {@code after}. */
    void insertKey(int update, MappingNode map, NodeTuple after, String key, String value, TargetKind kind, String field) {
        refuseIfShared(map, field);
        if (!(after.getValueNode() instanceof ScalarNode anchorValue)) {
            throw unsupported(map, "cannot add '" + key + "' next to a non-scalar value in " + field);
        }
        String formatted = ScalarText.format(value, anchorValue.getScalarStyle() == ScalarStyle.SINGLE_QUOTED
                || anchorValue.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED ? anchorValue.getScalarStyle() : ScalarStyle.PLAIN);
        int anchorEnd = anchorValue.getValue().isEmpty() && anchorValue.getScalarStyle() == ScalarStyle.PLAIN
                ? source.index(after.getKeyNode().getEndMark()) : source.index(anchorValue.getEndMark());
        int position;
        if (map.getFlowStyle() == FlowStyle.FLOW) {
            position = anchorEnd;
            splices.add(new Splice(position, position, ", " + key + ": " + formatted));
        } else {
            int column = source.column(source.index(after.getKeyNode().getStartMark()));
            position = source.endOfLine(anchorEnd);
            splices.add(new Splice(position, position,
                    lineBreakBefore(position) + " ".repeat(column) + key + ": " + formatted + source.lineSeparator()));
        }
        addedKeys.computeIfAbsent(map, m -> new LinkedHashMap<>()).put(key, value);
        changed[update] = true;
        changes.add(new Change(source.file(), insertedLine(position), kind, field, null, value));
    }

    /** Removes a {@code key: scalar} entry (its whole line in block style). */
    void removeKey(int update, MappingNode map, NodeTuple tuple, TargetKind kind, String field) {
        refuseIfShared(map, field);
        if (!(tuple.getValueNode() instanceof ScalarNode value)) {
            throw unsupported(map, field + " is not a scalar and cannot be removed");
        }
        String text = source.text();
        int keyStart = source.index(tuple.getKeyNode().getStartMark());
        int valueEnd = source.index(value.getEndMark());
        if (map.getFlowStyle() == FlowStyle.FLOW) {
            List<NodeTuple> tuples = map.getValue();
            int i = tuples.indexOf(tuple);
            if (i > 0) {
                splices.add(new Splice(source.index(tuples.get(i - 1).getValueNode().getEndMark()), valueEnd, ""));
            } else if (i + 1 < tuples.size()) {
                splices.add(new Splice(keyStart, source.index(tuples.get(i + 1).getKeyNode().getStartMark()), ""));
            } else {
                splices.add(new Splice(keyStart, valueEnd, ""));
            }
        } else {
            int lineStart = source.startOfLine(keyStart);
            if (!text.substring(lineStart, keyStart).isBlank()) {
                throw unsupported(tuple.getKeyNode(), field + " shares its line with another key ('- " + Nodes.text(tuple.getKeyNode())
                        + ":' starts a list item); move it below the item's first key to have it removed");
            }
            splices.add(new Splice(lineStart, source.endOfLine(valueEnd), ""));
        }
        removedKeys.computeIfAbsent(map, m -> new HashSet<>()).add(Nodes.text(tuple.getKeyNode()));
        changed[update] = true;
        changes.add(new Change(source.file(), YamlReader.line(tuple.getKeyNode()), kind, field, value.getValue(), null));
    }

    /**
     * Appends an item (a string, or an ordered map of strings) to a sequence, laid out like the items
     * already there.
     */
    void appendItem(int update, SequenceNode sequence, Object item, TargetKind kind, String field) {
        refuseIfShared(sequence, field);
        List<Node> items = sequence.getValue();
        ScalarStyle style = items.isEmpty() ? ScalarStyle.PLAIN : firstScalarStyle(items.get(items.size() - 1));
        int position;
        if (sequence.getFlowStyle() == FlowStyle.FLOW) {
            String flow = flowText(item, style);
            if (items.isEmpty()) {
                position = source.index(sequence.getStartMark()) + 1;
                splices.add(new Splice(position, position, flow));
            } else {
                position = source.index(items.get(items.size() - 1).getEndMark());
                splices.add(new Splice(position, position, ", " + flow));
            }
        } else {
            Node last = items.get(items.size() - 1);
            int firstStart = source.index(items.get(0).getStartMark());
            int dash = firstStart - 1;
            while (dash >= 0 && source.text().charAt(dash) == ' ') {
                dash--;
            }
            if (dash < 0 || source.text().charAt(dash) != '-') {
                throw unsupported(sequence, field + " has a layout the editor does not recognise");
            }
            int dashColumn = source.column(dash);
            int itemOffset = firstStart - dash;
            position = source.endOfLine(lastScalarEnd(last, field));
            splices.add(new Splice(position, position,
                    lineBreakBefore(position) + blockItem(item, dashColumn, itemOffset, style)));
        }
        appendedItems.computeIfAbsent(sequence, s -> new ArrayList<>()).add(item);
        changed[update] = true;
        changes.add(new Change(source.file(), insertedLine(position), kind, field, null, describe(item)));
    }

    /** Appends {@code key:} with a block value at the end of a single-document file. */
    void appendRootKey(int update, MappingNode root, String key, Object value, TargetKind kind, String field,
                       String described) {
        if (parsed.documents().size() != 1 || root.getFlowStyle() == FlowStyle.FLOW) {
            throw unsupported(root, "cannot add '" + key + ":' to a multi-document or flow-style file");
        }
        int position = source.text().length();
        Map<String, Object> block = new LinkedHashMap<>();
        block.put(key, value);
        splices.add(new Splice(position, position, lineBreakBefore(position) + blockMapping(block, 0)));
        addedKeys.computeIfAbsent(root, m -> new LinkedHashMap<>()).put(key, value);
        changed[update] = true;
        changes.add(new Change(source.file(), insertedLine(position), kind, field, null, described));
    }

    /** Writes a whole new document, carrying every update, into an empty (new) file. */
    void createDocument(Map<String, Object> document, String text, TargetKind kind, String field, String value) {
        splices.add(new Splice(0, 0, text));
        createdDocument = document;
        Arrays.fill(changed, true);
        changes.add(new Change(source.file(), 1, kind, field, null, value));
    }

    /** The new text with every splice applied. */
    String render() {
        List<Splice> ordered = new ArrayList<>(splices);
        ordered.sort(Comparator.comparingInt(Splice::start));
        StringBuilder out = new StringBuilder(source.text().length() + 256);
        int copied = 0;
        for (Splice splice : ordered) {
            if (splice.start() < copied) {
                throw new ManifestEditException(Problem.UNSUPPORTED_SHAPE, source.file(), source.lineOf(splice.start()),
                        "two updates edit the same value; give each image once");
            }
            out.append(source.text(), copied, splice.start()).append(splice.text());
            copied = splice.end();
        }
        out.append(source.text(), copied, source.text().length());
        // A file without a final line break keeps it that way, whatever was added or removed at its end.
        String original = source.text();
        if (!original.isEmpty() && !original.endsWith("\n") && out.length() > 0 && out.charAt(out.length() - 1) == '\n') {
            out.setLength(out.length() - (out.length() > 1 && out.charAt(out.length() - 2) == '\r' ? 2 : 1));
        }
        return out.toString();
    }

    /**
     * Re-parses {@code newText} and checks it equals the original except at the planned values.
     *
     * @throws ManifestEditException VERIFICATION_FAILED when anything else differs
     */
    void verify(String newText, YamlReader reader) {
        SourceFile rewritten = SourceFile.decode(source.file(), source.encode(newText));
        List<Node> after;
        try {
            after = reader.parse(rewritten).documents();
        } catch (ManifestEditException e) {
            throw failed(0, "the edited text no longer parses (" + e.getMessage() + ")");
        }
        if (createdDocument != null) {
            if (after.size() != 1 || !matchesPlain(after.get(0), createdDocument)) {
                throw failed(1, "the new file does not read back as intended");
            }
            return;
        }
        List<Node> before = parsed.documents();
        if (before.size() != after.size()) {
            throw failed(0, "the number of documents changed from " + before.size() + " to " + after.size());
        }
        for (int i = 0; i < before.size(); i++) {
            compare(before.get(i), after.get(i));
        }
    }

    private void compare(Node old, Node neu) {
        String expected = replaced.get(old);
        if (expected != null) {
            if (!(neu instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR) || !scalar.getValue().equals(expected)) {
                throw failed(YamlReader.line(neu), "the edited value does not read back as the string '" + expected + "'");
            }
            return;
        }
        if (old instanceof ScalarNode oldScalar) {
            if (!(neu instanceof ScalarNode scalar) || !scalar.getValue().equals(oldScalar.getValue())
                    || !scalar.getTag().equals(oldScalar.getTag())) {
                throw failed(YamlReader.line(neu), "a value that should not change differs");
            }
        } else if (old instanceof SequenceNode oldSequence) {
            if (!(neu instanceof SequenceNode sequence)) {
                throw failed(YamlReader.line(neu), "a list became something else");
            }
            List<Object> appended = appendedItems.getOrDefault(old, List.of());
            List<Node> oldItems = oldSequence.getValue();
            List<Node> newItems = sequence.getValue();
            if (newItems.size() != oldItems.size() + appended.size()) {
                throw failed(YamlReader.line(neu), "a list has a different number of items");
            }
            for (int i = 0; i < oldItems.size(); i++) {
                compare(oldItems.get(i), newItems.get(i));
            }
            for (int i = 0; i < appended.size(); i++) {
                if (!matchesPlain(newItems.get(oldItems.size() + i), appended.get(i))) {
                    throw failed(YamlReader.line(neu), "an added list item does not read back as intended");
                }
            }
        } else if (old instanceof MappingNode oldMap) {
            if (!(neu instanceof MappingNode map)) {
                throw failed(YamlReader.line(neu), "a mapping became something else");
            }
            Map<String, Node> oldValues = values(oldMap);
            Map<String, Node> newValues = values(map);
            removedKeys.getOrDefault(old, Set.of()).forEach(oldValues::remove);
            Map<String, Object> added = addedKeys.getOrDefault(old, Map.of());
            if (!newValues.keySet().equals(union(oldValues.keySet(), added.keySet()))) {
                throw failed(YamlReader.line(neu), "a mapping has different keys: " + newValues.keySet()
                        + " instead of " + union(oldValues.keySet(), added.keySet()));
            }
            oldValues.forEach((key, value) -> compare(value, newValues.get(key)));
            added.forEach((key, value) -> {
                if (!matchesPlain(newValues.get(key), value)) {
                    throw failed(YamlReader.line(neu), "the added key '" + key + "' does not read back as intended");
                }
            });
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static Map<String, Node> values(MappingNode map) {
        Map<String, Node> values = new LinkedHashMap<>();
        int position = 0;
        for (NodeTuple tuple : map.getValue()) {
            // Non-scalar keys are rare; they are compared by position.
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "\0" + position;
            values.put(key, tuple.getValueNode());
            position++;
        }
        return values;
    }

    private static boolean matchesPlain(Node node, Object plain) {
        if (plain instanceof String text) {
            return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR) && scalar.getValue().equals(text);
        }
        if (plain instanceof Literal literal) {
            return node instanceof ScalarNode scalar && scalar.getTag().equals(literal.tag())
                    && scalar.getValue().equals(literal.text());
        }
        if (plain instanceof List<?> list) {
            if (!(node instanceof SequenceNode sequence) || sequence.getValue().size() != list.size()) {
                return false;
            }
            for (int i = 0; i < list.size(); i++) {
                if (!matchesPlain(sequence.getValue().get(i), list.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (plain instanceof Map<?, ?> map && node instanceof MappingNode mapping) {
            Map<String, Node> values = values(mapping);
            if (!values.keySet().equals(map.keySet())) {
                return false;
            }
            return map.entrySet().stream().allMatch(e -> matchesPlain(values.get((String) e.getKey()), e.getValue()));
        }
        return false;
    }

    private String blockItem(Object item, int dashColumn, int itemOffset, ScalarStyle style) {
        String separator = source.lineSeparator();
        if (item instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder();
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? " ".repeat(dashColumn) + "-" + " ".repeat(Math.max(1, itemOffset - 1))
                                : " ".repeat(dashColumn + itemOffset))
                        .append(entry.getKey()).append(':');
                appendValue(out, entry.getValue(), dashColumn + itemOffset, style);
                first = false;
            }
            return out.toString();
        }
        return " ".repeat(dashColumn) + "-" + " ".repeat(Math.max(1, itemOffset - 1)) + scalar(item, style) + separator;
    }

    /**
     * Block text for a new mapping at {@code indent}: two-space indentation, list dashes at the key's
     * column (the layout Argo CD's Image Updater and kustomize write).
     */
    String blockMapping(Map<String, Object> map, int indent) {
        StringBuilder out = new StringBuilder();
        map.forEach((key, value) -> {
            out.append(" ".repeat(indent)).append(key).append(':');
            appendValue(out, value, indent, ScalarStyle.PLAIN);
        });
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private void appendValue(StringBuilder out, Object value, int indent, ScalarStyle style) {
        String separator = source.lineSeparator();
        if (value instanceof Map<?, ?> map) {
            out.append(separator).append(blockMapping((Map<String, Object>) map, indent + 2));
        } else if (value instanceof List<?> list) {
            out.append(separator);
            for (Object item : list) {
                out.append(blockItem(item, indent, 2, style));
            }
        } else {
            out.append(' ').append(scalar(value, style)).append(separator);
        }
    }

    private static String scalar(Object value, ScalarStyle style) {
        return value instanceof Literal literal ? literal.text() : ScalarText.format((String) value, style);
    }

    private static String flowText(Object item, ScalarStyle style) {
        if (item instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((key, value) -> out.append(out.length() > 1 ? ", " : "").append(key).append(": ")
                    .append(scalar(value, style)));
            return out.append('}').toString();
        }
        return scalar(item, style);
    }

    private static String describe(Object item) {
        if (item instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder();
            map.forEach((key, value) -> out.append(out.length() > 0 ? ", " : "").append(key).append(": ").append(value));
            return out.toString();
        }
        return String.valueOf(item);
    }

    private static ScalarStyle firstScalarStyle(Node node) {
        Node scalar = node;
        if (node instanceof MappingNode map && !map.getValue().isEmpty()) {
            scalar = map.getValue().get(0).getValueNode();
        }
        if (scalar instanceof ScalarNode s && (s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
                || s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED)) {
            return s.getScalarStyle();
        }
        return ScalarStyle.PLAIN;
    }

    /** Where the last scalar of {@code node} ends: the text of a block item ends there, comments aside. */
    private int lastScalarEnd(Node node, String field) {
        Node current = node;
        while (true) {
            if (current instanceof MappingNode map && !map.getValue().isEmpty()) {
                NodeTuple last = map.getValue().get(map.getValue().size() - 1);
                current = last.getValueNode() instanceof ScalarNode value && value.getValue().isEmpty()
                        && value.getScalarStyle() == ScalarStyle.PLAIN ? last.getKeyNode() : last.getValueNode();
            } else if (current instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
                current = sequence.getValue().get(sequence.getValue().size() - 1);
            } else {
                break;
            }
        }
        if (current instanceof ScalarNode scalar && (scalar.getScalarStyle() == ScalarStyle.LITERAL
                || scalar.getScalarStyle() == ScalarStyle.FOLDED)) {
            throw unsupported(node, "cannot add after a block scalar in " + field);
        }
        return source.index(current.getEndMark());
    }

    /** The original line an addition at {@code position} goes before (one past the last line at the end). */
    private int insertedLine(int position) {
        return source.lineOf(position) + (lineBreakBefore(position).isEmpty() ? 0 : 1);
    }

    private String lineBreakBefore(int position) {
        return position == source.text().length() && !source.text().isEmpty() && !source.text().endsWith("\n")
                ? source.lineSeparator() : "";
    }

    private void refuseIfShared(Node node, String field) {
        if (parsed.aliased(node)) {
            throw new ManifestEditException(Problem.ALIAS_TARGET, source.file(), YamlReader.line(node),
                    field + " is anchored and used through an alias elsewhere (or is itself an alias):"
                            + " editing it would change every place that uses it; replace the alias with a value");
        }
    }

    void refuseIfTemplate(ScalarNode node, String field) {
        if (node.getValue().contains("{{")) {
            throw new ManifestEditException(Problem.TEMPLATE_EXPRESSION, source.file(), YamlReader.line(node),
                    field + " holds a template expression ('" + node.getValue() + "'); update the template's input"
                            + " instead, or name a key path that holds a plain value");
        }
    }

    private ManifestEditException unsupported(Node node, String message) {
        return new ManifestEditException(Problem.UNSUPPORTED_SHAPE, source.file(), YamlReader.line(node), message);
    }

    private ManifestEditException failed(int line, String message) {
        return new ManifestEditException(Problem.VERIFICATION_FAILED, source.file(), line,
                "refused: after editing, " + message + "; nothing was written (please report this with the file)");
    }
}
