package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A kustomization's {@code images:} list, with {@code kustomize edit set image} semantics: the entry is
 * matched by {@code name}; {@code newName}, {@code newTag} and {@code digest} are set; a new tag removes
 * an old digest and a new digest an old tag, unless both are given.
 */
final class KustomizationImages {

    private static final Set<String> FILE_NAMES = Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final List<String> CANONICAL_ORDER = List.of("name", "newName", "newTag", "digest");

    private KustomizationImages() {}

    /** {@code kustomization.yaml}, {@code kustomization.yml}, {@code Kustomization}, or a name ending in {@code .kustomization.yaml}. */
    static boolean isKustomizationFile(String fileName) {
        return FILE_NAMES.contains(fileName) || fileName.endsWith(".kustomization.yaml") || fileName.endsWith(".kustomization.yml");
    }

    /** @param addMissing add an entry (creating {@code images:}) for an image no entry names */
    static void find(DocumentEdits edits, Node document, List<ImageUpdate> updates, boolean addMissing) {
        if (!(document instanceof MappingNode root)) {
            return;
        }
        Node images = Nodes.get(root, "images");
        for (int i = 0; i < updates.size(); i++) {
            ImageUpdate update = updates.get(i);
            MappingNode entry = entry(images, update, "name");
            if (entry == null) {
                entry = entry(images, update, "newName");
            }
            if (entry != null) {
                edits.found(i);
                apply(edits, i, entry, update);
            } else if (addMissing) {
                add(edits, i, root, images, update);
            }
        }
    }

    private static MappingNode entry(Node images, ImageUpdate update, String key) {
        for (Node item : Nodes.items(images)) {
            ImageReference name = ImageStrings.parseOrNull(Nodes.text(item, key));
            if (item instanceof MappingNode entry && name != null && update.matches(name)) {
                return entry;
            }
        }
        return null;
    }

    private static void apply(DocumentEdits edits, int index, MappingNode entry, ImageUpdate update) {
        String field = "images[name=" + Nodes.text(entry, "name") + "]";
        if (!namedAlready(entry, update)) {
            set(edits, index, entry, "newName", update.newName(), field);
        }
        set(edits, index, entry, "newTag", update.newTag(), field);
        set(edits, index, entry, "digest", update.newDigest(), field);
        if (update.newTag() != null && update.newDigest() == null) {
            remove(edits, index, entry, "digest", field);
        }
        if (update.newDigest() != null && update.newTag() == null) {
            remove(edits, index, entry, "newTag", field);
        }
    }

    /**
     * Whether the entry's {@code name} already is the new name and it has no {@code newName}: a rename applied
     * again must find it up to date, and a {@code newName} equal to the name would change nothing.
     */
    private static boolean namedAlready(MappingNode entry, ImageUpdate update) {
        ImageReference name = ImageStrings.parseOrNull(Nodes.text(entry, "name"));
        return update.newName() != null && name != null && Nodes.tuple(entry, "newName") == null
                && ImageReference.parse(update.newName()).sameImage(name);
    }

    private static void set(DocumentEdits edits, int index, MappingNode entry, String key, String value, String field) {
        if (value == null) {
            return;
        }
        NodeTuple tuple = Nodes.tuple(entry, key);
        if (tuple != null && tuple.getValueNode() instanceof ScalarNode scalar) {
            edits.replace(index, (ScalarNode) tuple.getKeyNode(), scalar, value, TargetKind.KUSTOMIZATION, field + "." + key);
        } else if (tuple == null) {
            edits.insertKey(index, entry, anchor(entry, key), key, value, TargetKind.KUSTOMIZATION, field + "." + key);
        }
    }

    private static void remove(DocumentEdits edits, int index, MappingNode entry, String key, String field) {
        NodeTuple tuple = Nodes.tuple(entry, key);
        if (tuple != null) {
            edits.removeKey(index, entry, tuple, TargetKind.KUSTOMIZATION, field + "." + key);
        }
    }

    /** The existing key a new {@code key} goes after: the nearest one before it in kustomize's order. */
    private static NodeTuple anchor(MappingNode entry, String key) {
        for (int i = CANONICAL_ORDER.indexOf(key) - 1; i >= 0; i--) {
            NodeTuple tuple = Nodes.tuple(entry, CANONICAL_ORDER.get(i));
            if (tuple != null) {
                return tuple;
            }
        }
        return entry.getValue().get(entry.getValue().size() - 1);
    }

    private static void add(DocumentEdits edits, int index, MappingNode root, Node images, ImageUpdate update) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", update.reference().name());
        if (update.newName() != null) {
            entry.put("newName", update.newName());
        }
        if (update.newTag() != null) {
            entry.put("newTag", update.newTag());
        }
        if (update.newDigest() != null) {
            entry.put("digest", update.newDigest());
        }
        if (images instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
            edits.appendItem(index, sequence, ordered(entry, sequence), TargetKind.KUSTOMIZATION, "images");
        } else if (images instanceof SequenceNode sequence) {
            edits.appendItem(index, sequence, entry, TargetKind.KUSTOMIZATION, "images");
        } else if (images == null) {
            edits.appendRootKey(index, root, "images", List.of(entry), TargetKind.KUSTOMIZATION, "images",
                    entry.toString());
        } else {
            throw new ManifestEditException(ManifestEditException.Problem.UNSUPPORTED_SHAPE, edits.source().file(),
                    YamlReader.line(images), "'images:' is not a list; make it a list to have an entry added");
        }
    }

    /** The new entry's keys in the order the file's first entry uses, then the others in kustomize's order. */
    private static Map<String, Object> ordered(Map<String, Object> entry, SequenceNode sequence) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (sequence.getValue().get(0) instanceof MappingNode first) {
            for (NodeTuple tuple : first.getValue()) {
                String key = Nodes.text(tuple.getKeyNode());
                if (key != null && entry.containsKey(key)) {
                    result.put(key, entry.get(key));
                }
            }
        }
        entry.forEach(result::putIfAbsent);
        return result;
    }
}
