package io.jenkins.plugins.gitops.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** RFC 7386 JSON merge patches between two versions of a document. */
final class MergePatch {
    private MergePatch() {}

    /** The merge patch that turns {@code from} into {@code to}; empty when they are equal. */
    static ObjectNode diff(ObjectNode from, ObjectNode to) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : to.properties()) {
            JsonNode before = from.get(field.getKey());
            JsonNode after = field.getValue();
            if (before instanceof ObjectNode b && after instanceof ObjectNode a) {
                ObjectNode nested = diff(b, a);
                if (!nested.isEmpty()) {
                    patch.set(field.getKey(), nested);
                }
            } else if (!after.equals(before)) {
                patch.set(field.getKey(), after);
            }
        }
        from.fieldNames().forEachRemaining(name -> {
            if (!to.has(name)) {
                patch.putNull(name);
            }
        });
        return patch;
    }
}
