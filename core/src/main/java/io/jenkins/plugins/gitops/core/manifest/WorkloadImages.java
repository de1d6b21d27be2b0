package io.jenkins.plugins.gitops.core.manifest;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Container images of Kubernetes workloads: {@code containers}, {@code initContainers}, {@code ephemeralContainers}. */
final class WorkloadImages {

    private static final Map<String, List<String>> POD_SPEC = Map.of(
            "Pod", List.of("spec"),
            "Deployment", List.of("spec", "template", "spec"),
            "StatefulSet", List.of("spec", "template", "spec"),
            "DaemonSet", List.of("spec", "template", "spec"),
            "ReplicaSet", List.of("spec", "template", "spec"),
            "Job", List.of("spec", "template", "spec"),
            "CronJob", List.of("spec", "jobTemplate", "spec", "template", "spec"));

    private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");

    private WorkloadImages() {}

    static boolean isWorkload(Node document) {
        String kind = Nodes.text(document, "kind");
        return kind != null && POD_SPEC.containsKey(kind) && Nodes.text(document, "apiVersion") != null;
    }

    static void find(DocumentEdits edits, Node document, List<ImageUpdate> updates) {
        String kind = Nodes.text(document, "kind");
        List<String> path = kind == null ? null : POD_SPEC.get(kind);
        if (path == null) {
            return;
        }
        Node podSpec = Nodes.get(document, path.toArray(String[]::new));
        String prefix = String.join(".", path);
        for (String list : CONTAINER_LISTS) {
            for (Node container : Nodes.items(Nodes.get(podSpec, list))) {
                NodeTuple image = Nodes.tuple(container, "image");
                if (image != null && image.getValueNode() instanceof ScalarNode value) {
                    String name = Nodes.text(container, "name");
                    String field = prefix + "." + list + "[name=" + name + "].image";
                    ImageStrings.update(edits, updates, (ScalarNode) image.getKeyNode(), value, TargetKind.WORKLOAD, field, false);
                }
            }
        }
    }
}
