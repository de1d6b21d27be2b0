package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The two patch types of {@code PATCH /api/v1/applications/{name}}: RFC 7386 merge and RFC 6902 JSON patch. */
final class JsonPatch {

    private JsonPatch() {}

    /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target.deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        patch.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    /** RFC 6902 operations add, remove, replace and test; an unsupported or failing operation is a 400. */
    static JsonNode apply(JsonNode target, JsonNode operations) {
        if (!operations.isArray()) {
            throw invalid("a JSON patch must be an array of operations");
        }
        JsonNode document = target.deepCopy();
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            List<String> path = pointer(operation.path("path").asText(null));
            switch (op) {
                case "add", "replace" -> {
                    if (!operation.has("value")) {
                        throw invalid("missing value for " + op + " at " + operation.path("path").asText());
                    }
                    document = put(document, path, operation.get("value").deepCopy(), "add".equals(op));
                }
                case "remove" -> remove(document, path);
                case "test" -> {
                    if (!operation.path("value").equals(get(document, path))) {
                        throw invalid("testing value " + operation.path("path").asText() + " failed");
                    }
                }
                default -> throw invalid("unexpected kind: " + op);
            }
        }
        return document;
    }

    private static List<String> pointer(String pointer) {
        if (pointer == null || (!pointer.isEmpty() && !pointer.startsWith("/"))) {
            throw invalid("invalid JSON pointer: " + pointer);
        }
        List<String> tokens = new ArrayList<>();
        if (!pointer.isEmpty()) {
            for (String token : pointer.substring(1).split("/", -1)) {
                tokens.add(token.replace("~1", "/").replace("~0", "~"));
            }
        }
        return tokens;
    }

    private static JsonNode get(JsonNode document, List<String> path) {
        JsonNode node = document;
        for (String token : path) {
            node = node.isArray() ? node.path(index(token, node.size() - 1)) : node.path(token);
        }
        return node;
    }

    private static JsonNode put(JsonNode document, List<String> path, JsonNode value, boolean insert) {
        if (path.isEmpty()) {
            return value;
        }
        JsonNode parent = get(document, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object) {
            if (!insert && !object.has(last)) {
                throw invalid("replace operation does not apply: doc is missing key: /" + String.join("/", path));
            }
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (insert) {
                array.insert("-".equals(last) ? array.size() : index(last, array.size()), value);
            } else {
                array.set(index(last, array.size() - 1), value);
            }
        } else {
            throw invalid("doc is missing path: /" + String.join("/", path));
        }
        return document;
    }

    private static void remove(JsonNode document, List<String> path) {
        JsonNode parent = path.isEmpty() ? null : get(document, path.subList(0, path.size() - 1));
        String last = path.isEmpty() ? "" : path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && object.has(last)) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            array.remove(index(last, array.size() - 1));
        } else {
            throw invalid("remove operation does not apply: doc is missing path: /" + String.join("/", path));
        }
    }

    private static int index(String token, int max) {
        try {
            int index = Integer.parseInt(token);
            if (index < 0 || index > max) {
                throw invalid("index out of bounds: " + token);
            }
            return index;
        } catch (NumberFormatException e) {
            throw invalid("not an array index: " + token);
        }
    }

    private static ArgoError invalid(String message) {
        return new ArgoError(ArgoError.INVALID_ARGUMENT, message);
    }
}
