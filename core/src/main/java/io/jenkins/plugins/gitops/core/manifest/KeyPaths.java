package io.jenkins.plugins.gitops.core.manifest;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Resolves a {@link KeyPath} in a document to the nodes it names. */
final class KeyPaths {

    /** A node a key path reached, with the mapping key it is the value of ({@code null} for a list item). */
    record Target(Node node, ScalarNode key, String field) {}

    private KeyPaths() {}

    static List<Target> resolve(Node document, KeyPath path) {
        List<Target> targets = new ArrayList<>();
        resolve(document, path.segments(), 0, null, "", targets);
        return targets;
    }

    private static void resolve(Node node, List<KeyPath.Segment> segments, int index, ScalarNode key, String field,
                                List<Target> out) {
        if (index == segments.size()) {
            out.add(new Target(node, key, field));
            return;
        }
        KeyPath.Segment segment = segments.get(index);
        if (segment instanceof KeyPath.Key k) {
            NodeTuple tuple = Nodes.tuple(node, k.name());
            if (tuple != null) {
                resolve(tuple.getValueNode(), segments, index + 1, (ScalarNode) tuple.getKeyNode(),
                        field.isEmpty() ? k.name() : field + "." + k.name(), out);
            }
        } else if (segment instanceof KeyPath.Index i) {
            List<Node> items = Nodes.items(node);
            if (i.index() < items.size()) {
                resolve(items.get(i.index()), segments, index + 1, null, field + "[" + i.index() + "]", out);
            }
        } else if (segment instanceof KeyPath.Select s) {
            for (Node item : Nodes.items(node)) {
                if (s.value().equals(Nodes.text(item, s.key()))) {
                    resolve(item, segments, index + 1, null, field + "[" + s.key() + "=" + s.value() + "]", out);
                }
            }
        } else {
            List<Node> items = Nodes.items(node);
            for (int i = 0; i < items.size(); i++) {
                resolve(items.get(i), segments, index + 1, null, field + "[" + i + "]", out);
            }
        }
    }
}
