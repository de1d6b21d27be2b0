package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Image overrides in an Argo CD application source: {@code kustomize.images} ({@code [alias=]reference}
 * strings), {@code helm.parameters} (a {@code <p>.repository} or {@code <p>.name} parameter naming the
 * image, with {@code <p>.registry}, {@code <p>.tag}, {@code <p>.digest} beside it) and
 * {@code helm.valuesObject}. Used for Application and ApplicationSet manifests and for
 * {@code .argocd-source*.yaml} files, whose root is shaped like a source.
 */
final class ApplicationSources {

    private ApplicationSources() {}

    static boolean isApplication(Node document) {
        String apiVersion = Nodes.text(document, "apiVersion");
        String kind = Nodes.text(document, "kind");
        return apiVersion != null && apiVersion.startsWith("argoproj.io/")
                && ("Application".equals(kind) || "ApplicationSet".equals(kind));
    }

    static void findInApplication(DocumentEdits edits, Node document, List<ImageUpdate> updates, List<KeyPath> helmKeyPaths) {
        boolean set = "ApplicationSet".equals(Nodes.text(document, "kind"));
        String prefix = set ? "spec.template.spec" : "spec";
        Node spec = set ? Nodes.get(document, "spec", "template", "spec") : Nodes.get(document, "spec");
        Node source = Nodes.get(spec, "source");
        if (source != null) {
            findInSource(edits, source, updates, helmKeyPaths, prefix + ".source", TargetKind.APPLICATION);
        }
        List<Node> sources = Nodes.items(Nodes.get(spec, "sources"));
        for (int i = 0; i < sources.size(); i++) {
            findInSource(edits, sources.get(i), updates, helmKeyPaths, prefix + ".sources[" + i + "]", TargetKind.APPLICATION);
        }
    }

    static void findInSource(DocumentEdits edits, Node source, List<ImageUpdate> updates, List<KeyPath> helmKeyPaths,
                             String prefix, TargetKind kind) {
        List<Node> images = Nodes.items(Nodes.get(source, "kustomize", "images"));
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) instanceof ScalarNode image) {
                ImageStrings.update(edits, updates, null, image, kind, HelmValuesImages.join(prefix, "kustomize.images[" + i + "]"), true);
            }
        }
        findInHelmParameters(edits, Nodes.get(source, "helm", "parameters"), updates, helmKeyPaths,
                HelmValuesImages.join(prefix, "helm.parameters"), kind);
        Node valuesObject = Nodes.get(source, "helm", "valuesObject");
        if (valuesObject != null) {
            HelmValuesImages.find(edits, valuesObject, updates, helmKeyPaths, HelmValuesImages.join(prefix, "helm.valuesObject"));
        }
    }

    private static void findInHelmParameters(DocumentEdits edits, Node parameters, List<ImageUpdate> updates,
                                             List<KeyPath> helmKeyPaths, String field, TargetKind kind) {
        Map<String, MappingNode> byName = new LinkedHashMap<>();
        for (Node item : Nodes.items(parameters)) {
            String name = Nodes.text(item, "name");
            if (name != null && item instanceof MappingNode parameter) {
                byName.put(name, parameter);
            }
        }
        List<String> allowed = helmKeyPaths.stream().map(KeyPath::text).toList();
        for (Map.Entry<String, MappingNode> entry : byName.entrySet()) {
            String name = entry.getKey();
            int dot = name.lastIndexOf('.');
            String last = name.substring(dot + 1);
            String group = dot < 0 ? "" : name.substring(0, dot);
            if (!allowed.isEmpty() && !allowed.contains(group) && !allowed.contains(name)) {
                continue;
            }
            NodeTuple value = Nodes.tuple(entry.getValue(), "value");
            if (value == null || !(value.getValueNode() instanceof ScalarNode valueNode)) {
                continue;
            }
            String where = field + "[name=" + name + "].value";
            if (last.equals("image")) {
                ImageStrings.update(edits, updates, (ScalarNode) value.getKeyNode(), valueNode, kind, where, false);
            } else if (last.equals("repository") || last.equals("name")) {
                MappingNode registry = byName.get(group + ".registry");
                String registryText = registry == null ? null : Nodes.text(registry, "value");
                ImageReference reference = ImageStrings.parseOrNull(registryText == null || registryText.isEmpty()
                        ? valueNode.getValue() : registryText + "/" + valueNode.getValue());
                for (int i = 0; reference != null && i < updates.size(); i++) {
                    ImageUpdate update = updates.get(i);
                    if (update.matches(reference)) {
                        edits.found(i);
                        if (update.newName() != null) {
                            ImageReference newName = ImageReference.parse(update.newName());
                            boolean split = registry != null && Nodes.get(registry, "value") instanceof ScalarNode;
                            if (split) {
                                setValue(edits, i, registry, newName.effectiveRegistry(), field, kind);
                            }
                            edits.replace(i, (ScalarNode) value.getKeyNode(), valueNode,
                                    split ? newName.path() : update.newName(), kind, where);
                        }
                        if (update.newTag() != null && byName.containsKey(group + ".tag")) {
                            setValue(edits, i, byName.get(group + ".tag"), update.newTag(), field, kind);
                        }
                        if (update.newDigest() != null && byName.containsKey(group + ".digest")) {
                            setValue(edits, i, byName.get(group + ".digest"), update.newDigest(), field, kind);
                        }
                        break;
                    }
                }
            }
        }
    }

    private static void setValue(DocumentEdits edits, int update, MappingNode parameter, String newValue, String field,
                                 TargetKind kind) {
        NodeTuple value = Nodes.tuple(parameter, "value");
        if (value != null && value.getValueNode() instanceof ScalarNode scalar) {
            edits.replace(update, (ScalarNode) value.getKeyNode(), scalar, newValue, kind,
                    field + "[name=" + Nodes.text(parameter, "name") + "].value");
        }
    }
}
