package io.jenkins.plugins.gitops.core.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * RFC 7386 JSON merge patch, as the Kubernetes API server applies {@code application/merge-patch+json} to custom
 * resources: objects merge recursively, {@code null} removes a field, and anything else (arrays included) replaces.
 * fabric8's mock merges with Jackson's {@code readerForUpdating}, which appends to arrays instead; the fake uses this.
 */
final class JsonMergePatch {

    private JsonMergePatch() {}

    /** {@code target} with {@code patch} applied; neither argument is modified. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : ((ObjectNode) patch).objectNode();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), apply(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
