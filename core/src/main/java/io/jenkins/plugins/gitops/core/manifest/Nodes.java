package io.jenkins.plugins.gitops.core.manifest;

import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Small lookups over SnakeYAML's node tree. */
final class Nodes {

    private Nodes() {}

    /** The tuple whose key is the scalar {@code key}, or {@code null}. */
    static NodeTuple tuple(Node mapping, String key) {
        if (mapping instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return tuple;
                }
            }
        }
        return null;
    }

    /** The value under {@code key}, or {@code null}. */
    static Node get(Node mapping, String key) {
        NodeTuple tuple = tuple(mapping, key);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** The value under a chain of keys, or {@code null}. */
    static Node get(Node node, String... keys) {
        Node current = node;
        for (String key : keys) {
            current = get(current, key);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** The scalar's text, or {@code null} when {@code node} is not a scalar. */
    static String text(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    /** The scalar text under {@code key}, or {@code null}. */
    static String text(Node mapping, String key) {
        return text(get(mapping, key));
    }

    /** The items of a sequence, or an empty list. */
    static List<Node> items(Node node) {
        return node instanceof SequenceNode sequence ? sequence.getValue() : List.of();
    }

    /** Whether {@code node} is a mapping with {@code apiVersion} and {@code kind}: a Kubernetes object. */
    static boolean isKubernetesObject(Node node) {
        return text(node, "apiVersion") != null && text(node, "kind") != null;
    }
}
