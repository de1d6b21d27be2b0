package io.jenkins.plugins.gitops.core.testing.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates requests and responses against an OpenAPI 3.0 description: the query parameters an operation declares
 * (names and enums), request bodies (unknown properties are violations, as a misspelt field would be silently ignored
 * by the real service), and response bodies (required properties, types, {@code nullable}, enums, date-times).
 *
 * <p>Covers the subset the hosting services' descriptions use for pull requests: {@code $ref} into
 * {@code components}, {@code type}, {@code properties}, {@code required}, {@code nullable}, {@code items},
 * {@code additionalProperties}, {@code allOf}, {@code anyOf} and {@code oneOf} (both read as "at least one matches"),
 * {@code enum}, {@code format: date-time}.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final JsonNode root;

    private OpenApiContract(String name, JsonNode root) {
        this.name = name;
        this.root = root;
    }

    /** Loads a description file. */
    public static OpenApiContract load(String name, Path file) {
        try {
            return new OpenApiContract(name, JSON.readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI description " + file, e);
        }
    }

    /** A description held in memory (one pinned from a service's documentation). */
    public static OpenApiContract of(String name, JsonNode root) {
        return new OpenApiContract(name, root);
    }

    /** The same description with every path under {@code prefix} (an Enterprise server's {@code /api/v3}). */
    public OpenApiContract prefixed(String prefix) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = root.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode paths = JSON.createObjectNode();
        root.path("paths").properties().forEach(e -> paths.set(prefix + e.getKey(), e.getValue()));
        copy.set("paths", paths);
        return new OpenApiContract(name, copy);
    }

    public String name() {
        return name;
    }

    /** Violations of the request: undeclared query parameters, values outside their enum, the body's schema. */
    public List<String> validateRequest(String method, String pathTemplate, Map<String, String> query, JsonNode body) {
        JsonNode operation = operation(method, pathTemplate);
        List<String> violations = new ArrayList<>();
        String subject = "request " + method + " " + pathTemplate;
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode resolved = resolve(parameter);
            if ("query".equals(resolved.path("in").asText())) {
                declared.put(resolved.path("name").asText(), resolved.path("schema"));
            }
        }
        query.forEach((key, value) -> {
            JsonNode schema = declared.get(key);
            if (schema == null) {
                violations.add(subject + ": undeclared query parameter '" + key + "'");
            } else {
                JsonNode allowed = resolve(schema).get("enum");
                if (allowed != null && !contains(allowed, value)) {
                    violations.add(subject + ": query " + key + "='" + value + "' is not one of " + allowed);
                }
            }
        });
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
        if (body != null && !body.isMissingNode()) {
            if (schema.isMissingNode()) {
                violations.add(subject + ": the operation takes no JSON body");
            } else {
                new Walk(subject, violations).check(schema, body, "");
            }
        } else if (operation.path("requestBody").path("required").asBoolean(false)) {
            violations.add(subject + ": the request body is required");
        }
        return violations;
    }

    /** Violations of a response body against the operation's response for {@code status} (else {@code default}). */
    public List<String> validateResponse(String method, String pathTemplate, int status, JsonNode body) {
        JsonNode responses = operation(method, pathTemplate).path("responses");
        JsonNode response = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status)) : responses.path("default");
        List<String> violations = new ArrayList<>();
        String subject = "response " + method + " " + pathTemplate + " " + status;
        if (response.isMissingNode()) {
            violations.add(subject + ": the description lists no such response");
            return violations;
        }
        JsonNode schema = resolve(response).path("content").path("application/json").path("schema");
        if (!schema.isMissingNode() && body != null && !body.isMissingNode()) {
            new Walk(subject, violations).check(schema, body, "");
        }
        return violations;
    }

    public boolean hasOperation(String method, String pathTemplate) {
        return !root.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT)).isMissingNode();
    }

    private JsonNode operation(String method, String pathTemplate) {
        JsonNode operation = root.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            throw new IllegalArgumentException(name + " has no operation " + method + " " + pathTemplate);
        }
        return operation;
    }

    private JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/") || hops++ > 32) {
                throw new IllegalStateException("unsupported $ref in " + name + ": " + ref);
            }
            JsonNode target = root.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new IllegalStateException(name + " has nothing at " + ref);
            }
            node = target;
        }
        return node;
    }

    private static boolean contains(JsonNode allowed, String value) {
        for (JsonNode candidate : allowed) {
            if (candidate.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private final class Walk {
        private final String subject;
        private final List<String> violations;

        Walk(String subject, List<String> violations) {
            this.subject = subject;
            this.violations = violations;
        }

        void check(JsonNode schema, JsonNode value, String pointer) {
            schema = resolve(schema);
            if (value.isNull()) {
                if (!schema.path("nullable").asBoolean(false) && !nullableByComposition(schema)) {
                    fail(pointer, "null where the description does not allow it");
                }
                return;
            }
            for (JsonNode part : schema.path("allOf")) {
                check(part, value, pointer);
            }
            for (String alternatives : List.of("anyOf", "oneOf")) {
                if (schema.has(alternatives)) {
                    List<String> firstFailure = null;
                    for (JsonNode option : schema.get(alternatives)) {
                        List<String> attempt = new ArrayList<>();
                        new Walk(subject, attempt).check(option, value, pointer);
                        if (attempt.isEmpty()) {
                            firstFailure = null;
                            break;
                        }
                        if (firstFailure == null) {
                            firstFailure = attempt;
                        }
                    }
                    if (firstFailure != null) {
                        fail(pointer, "matches none of the " + alternatives + " alternatives (first: " + firstFailure.get(0) + ")");
                    }
                    return;
                }
            }
            String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
            switch (type) {
                case "object" -> checkObject(schema, value, pointer);
                case "array" -> {
                    if (!value.isArray()) {
                        fail(pointer, "expected an array, got " + describe(value));
                        return;
                    }
                    for (int i = 0; i < value.size(); i++) {
                        check(schema.path("items"), value.get(i), pointer + "/" + i);
                    }
                }
                case "string" -> checkString(schema, value, pointer);
                case "boolean" -> {
                    if (!value.isBoolean()) {
                        fail(pointer, "expected a boolean, got " + describe(value));
                    }
                }
                case "integer" -> {
                    if (!value.isIntegralNumber()) {
                        fail(pointer, "expected an integer, got " + describe(value));
                    }
                }
                case "number" -> {
                    if (!value.isNumber()) {
                        fail(pointer, "expected a number, got " + describe(value));
                    }
                }
                case "" -> { } // no type: any value
                default -> throw new IllegalStateException("unsupported type '" + type + "' in " + name + " at " + pointer);
            }
        }

        private boolean nullableByComposition(JsonNode schema) {
            for (String alternatives : List.of("anyOf", "oneOf", "allOf")) {
                for (JsonNode option : schema.path(alternatives)) {
                    if (resolve(option).path("nullable").asBoolean(false)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private void checkObject(JsonNode schema, JsonNode value, String pointer) {
            if (!value.isObject()) {
                fail(pointer, "expected an object, got " + describe(value));
                return;
            }
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    fail(pointer, "missing required property '" + required.asText() + "'");
                }
            }
            boolean freeForm = properties.isEmpty() && additional == null;
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String child = pointer + "/" + field.getKey();
                JsonNode propertySchema = properties.get(field.getKey());
                if (propertySchema != null) {
                    check(propertySchema, field.getValue(), child);
                } else if (additional != null && additional.isObject()) {
                    check(additional, field.getValue(), child);
                } else if (!freeForm && !(additional != null && additional.asBoolean(false)) && !schema.has("allOf")) {
                    fail(pointer, "unknown property '" + field.getKey() + "'");
                }
            }
        }

        private void checkString(JsonNode schema, JsonNode value, String pointer) {
            if (!value.isTextual()) {
                fail(pointer, "expected a string, got " + describe(value));
                return;
            }
            String text = value.asText();
            if ("date-time".equals(schema.path("format").asText())) {
                try {
                    OffsetDateTime.parse(text);
                } catch (DateTimeParseException e) {
                    fail(pointer, "not an RFC 3339 date-time: '" + text + "'");
                }
            }
            JsonNode allowed = schema.get("enum");
            if (allowed != null && !contains(allowed, text)) {
                fail(pointer, "'" + text + "' is not one of " + allowed);
            }
        }

        private void fail(String pointer, String problem) {
            violations.add(subject + " at '" + pointer + "': " + problem);
        }
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }
}
