package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Images in Helm values. An image block is a mapping with {@code repository} (or {@code image} beside a
 * {@code tag}, or {@code image} inside an {@code image:} mapping), optional {@code registry}, {@code tag}
 * and {@code digest} (or {@code sha}); a value under an {@code image} key may also hold a whole reference.
 * A new tag clears a non-empty digest (to {@code ""}, the key stays); a new digest leaves the tag alone,
 * since charts let the digest win.
 */
final class HelmValuesImages {

    private HelmValuesImages() {}

    /** Whether a file name reads as a Helm values file ({@code values.yaml}, {@code values-prod.yaml}, {@code x.values.yml}). */
    static boolean isValuesFile(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("values") && (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"));
    }

    /** @param keyPaths image blocks or whole-reference scalars to look at; empty: the common shapes anywhere */
    static void find(DocumentEdits edits, Node document, List<ImageUpdate> updates, List<KeyPath> keyPaths, String prefix) {
        if (keyPaths.isEmpty()) {
            walk(edits, document, updates, prefix, null);
            return;
        }
        for (KeyPath path : keyPaths) {
            for (KeyPaths.Target target : KeyPaths.resolve(document, path)) {
                if (target.node() instanceof MappingNode block) {
                    block(edits, block, updates, join(prefix, target.field()));
                } else if (target.node() instanceof ScalarNode scalar) {
                    ImageStrings.update(edits, updates, target.key(), scalar, TargetKind.HELM_VALUES,
                            join(prefix, target.field()), false);
                }
            }
        }
    }

    private static void walk(DocumentEdits edits, Node node, List<ImageUpdate> updates, String field, String parentKey) {
        if (node instanceof MappingNode map) {
            if (isBlock(map, parentKey)) {
                block(edits, map, updates, field);
                return;
            }
            for (NodeTuple tuple : map.getValue()) {
                String key = Nodes.text(tuple.getKeyNode());
                if (key == null) {
                    continue;
                }
                String child = join(field, key);
                if (key.equals("image") && tuple.getValueNode() instanceof ScalarNode value) {
                    ImageStrings.update(edits, updates, (ScalarNode) tuple.getKeyNode(), value, TargetKind.HELM_VALUES, child, false);
                } else {
                    walk(edits, tuple.getValueNode(), updates, child, key);
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                walk(edits, sequence.getValue().get(i), updates, field + "[" + i + "]", parentKey);
            }
        }
    }

    private static boolean isBlock(MappingNode map, String parentKey) {
        return Nodes.text(map, "repository") != null
                || (Nodes.text(map, "image") != null && (Nodes.tuple(map, "tag") != null || "image".equals(parentKey)));
    }

    private static void block(DocumentEdits edits, MappingNode block, List<ImageUpdate> updates, String field) {
        NodeTuple name = Nodes.tuple(block, Nodes.text(block, "repository") != null ? "repository" : "image");
        if (name == null || !(name.getValueNode() instanceof ScalarNode nameValue) || nameValue.getValue().isEmpty()) {
            return;
        }
        NodeTuple registry = Nodes.tuple(block, "registry");
        String registryText = registry == null ? null : Nodes.text(registry.getValueNode());
        String full = registryText == null || registryText.isEmpty() ? nameValue.getValue() : registryText + "/" + nameValue.getValue();
        ImageReference reference = ImageStrings.parseOrNull(full);
        if (reference == null) {
            return;
        }
        for (int i = 0; i < updates.size(); i++) {
            ImageUpdate update = updates.get(i);
            if (update.matches(reference)) {
                edits.found(i);
                apply(edits, i, block, update, name, registry, field);
                return;
            }
        }
    }

    private static void apply(DocumentEdits edits, int index, MappingNode block, ImageUpdate update, NodeTuple name,
                              NodeTuple registry, String field) {
        if (update.newName() != null) {
            ImageReference newName = ImageReference.parse(update.newName());
            if (registry != null && registry.getValueNode() instanceof ScalarNode registryValue) {
                edits.replace(index, key(registry), registryValue, newName.effectiveRegistry(), TargetKind.HELM_VALUES,
                        join(field, "registry"));
                edits.replace(index, key(name), (ScalarNode) name.getValueNode(), newName.path(), TargetKind.HELM_VALUES,
                        join(field, key(name).getValue()));
            } else {
                edits.replace(index, key(name), (ScalarNode) name.getValueNode(), update.newName(), TargetKind.HELM_VALUES,
                        join(field, key(name).getValue()));
            }
        }
        NodeTuple tag = Nodes.tuple(block, "tag");
        if (update.newTag() != null) {
            set(edits, index, block, tag, name, "tag", update.newTag(), field);
        }
        NodeTuple digest = Nodes.tuple(block, "digest") != null ? Nodes.tuple(block, "digest") : Nodes.tuple(block, "sha");
        if (update.newDigest() != null) {
            set(edits, index, block, digest, tag != null ? tag : name, "digest", update.newDigest(), field);
        } else if (update.newTag() != null && digest != null && digest.getValueNode() instanceof ScalarNode old
                && !old.getValue().isEmpty()) {
            edits.replace(index, key(digest), old, "", TargetKind.HELM_VALUES, join(field, key(digest).getValue()));
        }
    }

    private static void set(DocumentEdits edits, int index, MappingNode block, NodeTuple existing, NodeTuple after,
                            String key, String value, String field) {
        if (existing == null) {
            edits.insertKey(index, block, after, key, value, TargetKind.HELM_VALUES, join(field, key));
        } else if (existing.getValueNode() instanceof ScalarNode scalar) {
            edits.replace(index, key(existing), scalar, value, TargetKind.HELM_VALUES, join(field, key(existing).getValue()));
        }
    }

    private static ScalarNode key(NodeTuple tuple) {
        return (ScalarNode) tuple.getKeyNode();
    }

    static String join(String prefix, String key) {
        return prefix == null || prefix.isEmpty() ? key : key.startsWith("[") ? prefix + key : prefix + "." + key;
    }
}
