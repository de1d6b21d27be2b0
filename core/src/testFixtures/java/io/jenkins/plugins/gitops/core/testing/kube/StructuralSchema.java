package io.jenkins.plugins.gitops.core.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks JSON against a CRD's structural {@code openAPIV3Schema} the way the API server does with
 * {@code fieldValidation=Strict}: unknown fields, wrong types, values outside an enum, malformed date-times
 * and missing required fields are violations (a merge patch is checked on its result). A real API server silently prunes unknown
 * fields by default, so a client that writes a misspelt field would lose it without an error; the fake
 * rejects it instead, which is what makes a test against it fail.
 *
 * <p>Not covered: {@code pattern}, {@code anyOf} and CEL rules (the Application CRD uses them only on
 * fields this project never writes).
 */
public final class StructuralSchema {

    private final JsonNode root;

    public StructuralSchema(JsonNode openApiV3Schema) {
        this.root = openApiV3Schema;
    }

    /** Violations of a whole object (as created, updated, or after a patch); empty when valid. */
    public List<String> validateObject(JsonNode object) {
        List<String> violations = new ArrayList<>();
        check(object, root, "", violations);
        return violations;
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> violations) {
        if (value == null || value.isNull() || schema == null) {
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                violations.add(where(path) + ": expected an integer or a string, got " + value.getNodeType());
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(value, schema, path, violations);
            case "array" -> {
                if (!value.isArray()) {
                    violations.add(where(path) + ": expected an array, got " + value.getNodeType());
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.get("items"), path + "[" + i + "]", violations);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    violations.add(where(path) + ": expected a string, got " + value.getNodeType());
                } else {
                    checkString(value.asText(), schema, path, violations);
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    violations.add(where(path) + ": expected an integer, got " + value.getNodeType());
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    violations.add(where(path) + ": expected a number, got " + value.getNodeType());
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    violations.add(where(path) + ": expected a boolean, got " + value.getNodeType());
                }
            }
            default -> {
                // untyped (x-kubernetes-preserve-unknown-fields only): anything goes
            }
        }
    }

    private static void checkObject(JsonNode value, JsonNode schema, String path, List<String> violations) {
        if (!value.isObject()) {
            violations.add(where(path) + ": expected an object, got " + value.getNodeType());
            return;
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                violations.add(where(path) + ": required field '" + required.asText() + "' is missing");
            }
        }
        if (properties == null && additional == null) {
            return; // a free-form object such as metadata: the API server validates it by other means
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (properties != null && properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), childPath, violations);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, childPath, violations);
            } else if (!preserveUnknown && !additional(additional)) {
                violations.add(where(childPath) + ": unknown field");
            }
        }
    }

    private static boolean additional(JsonNode additional) {
        return additional != null && additional.isBoolean() && additional.asBoolean();
    }

    private static void checkString(String text, JsonNode schema, String path, List<String> violations) {
        JsonNode allowed = schema.get("enum");
        if (allowed != null) {
            boolean found = false;
            for (JsonNode option : allowed) {
                found |= option.asText().equals(text);
            }
            if (!found) {
                violations.add(where(path) + ": '" + text + "' is not one of " + allowed);
            }
        }
        if ("date-time".equals(schema.path("format").asText()) && !text.isEmpty()) {
            try {
                OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                violations.add(where(path) + ": '" + text + "' is not an RFC 3339 date-time");
            }
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "<root>" : path;
    }
}
