package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Validates JSON bodies against the upstream Argo CD {@code swagger.json} (Swagger 2.0), corrected by the
 * deviations of CONTRACT.md section 0: {@code strategy.hook} is flat ({@code {"hook":{"force":true}}}),
 * int64 values are JSON numbers (also where swagger says {@code string/int64}), and empty structs may be
 * present. Unknown properties are violations: the real server silently ignores them, so a misspelt field
 * in a request is a bug that would otherwise go unnoticed.
 *
 * <p>Covers the subset swagger.json uses: {@code $ref}, {@code type}, {@code properties},
 * {@code additionalProperties}, {@code items}, {@code allOf}, {@code enum}, {@code format} (int32, int64,
 * date-time, byte).
 */
public final class SwaggerContract {

    /** Where the file sits under the shared reference data. */
    public static final String SHARED_PATH = "argocd/swagger.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;
    private final JsonNode definitions;

    private SwaggerContract(JsonNode root) {
        this.root = root;
        this.definitions = root.path("definitions");
        applyContractDeviations((ObjectNode) definitions);
    }

    /** Loads a swagger.json file. */
    public static SwaggerContract load(Path swaggerJson) {
        try {
            return new SwaggerContract(JSON.readTree(Files.readAllBytes(swaggerJson)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Argo CD swagger file " + swaggerJson, e);
        }
    }

    /** The shared copy for a test, skipping the test when ../shared is absent. */
    public static SwaggerContract require() {
        SharedData.require(SHARED_PATH);
        return shared().orElseThrow();
    }

    /** The shared copy, loaded once per JVM; empty when ../shared is absent (callers then skip validation). */
    public static Optional<SwaggerContract> shared() {
        return SharedReference.parsed(SHARED_PATH, SwaggerContract::load);
    }

    /** Validates {@code body} against {@code #/definitions/<definition>}, strictly (nulls are violations). */
    public List<ContractViolation> validate(String definition, JsonNode body) {
        return check(definition, ref(definition), body, false);
    }

    /** Validates a request body against the body parameter of the operation; null values are tolerated. */
    public List<ContractViolation> validateRequestBody(String method, String pathTemplate, JsonNode body) {
        JsonNode operation = operation(method, pathTemplate);
        for (JsonNode parameter : operation.path("parameters")) {
            if ("body".equals(parameter.path("in").asText())) {
                return check("request " + method + " " + pathTemplate, parameter.path("schema"), body, true);
            }
        }
        return List.of(new ContractViolation("request " + method + " " + pathTemplate, "",
                "the operation takes no request body"));
    }

    /** Validates a response body: the schema of {@code status}, else of {@code default} (runtimeError). */
    public List<ContractViolation> validateResponse(String method, String pathTemplate, int status, JsonNode body) {
        JsonNode responses = operation(method, pathTemplate).path("responses");
        JsonNode response = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status))
                : responses.path("default");
        return check("response " + method + " " + pathTemplate + " " + status, response.path("schema"), body, false);
    }

    /** Whether swagger.json documents this operation. */
    public boolean hasOperation(String method, String pathTemplate) {
        return !root.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT)).isMissingNode();
    }

    private JsonNode operation(String method, String pathTemplate) {
        JsonNode operation = root.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            throw new IllegalArgumentException("swagger.json has no operation " + method + " " + pathTemplate);
        }
        return operation;
    }

    private static JsonNode ref(String definition) {
        return JsonNodeFactory.instance.objectNode().put("$ref", "#/definitions/" + definition);
    }

    private List<ContractViolation> check(String subject, JsonNode schema, JsonNode body, boolean allowNulls) {
        List<ContractViolation> violations = new ArrayList<>();
        new Walk(subject, allowNulls, violations).check(schema, body, "");
        return violations;
    }

    private JsonNode resolve(JsonNode schema) {
        int hops = 0;
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/definitions/") || hops++ > 32) {
                throw new IllegalStateException("unsupported $ref in swagger.json: " + ref);
            }
            JsonNode target = definitions.get(ref.substring("#/definitions/".length()));
            if (target == null) {
                throw new IllegalStateException("swagger.json has no definition for " + ref);
            }
            schema = target;
        }
        return schema;
    }

    /** Properties of an object schema, including those brought in by {@code allOf}. */
    private Map<String, JsonNode> properties(JsonNode schema) {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        schema.path("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue()));
        for (JsonNode part : schema.path("allOf")) {
            properties.putAll(properties(resolve(part)));
        }
        return properties;
    }

    private static void applyContractDeviations(ObjectNode definitions) {
        // Go inlines SyncStrategyApply into SyncStrategyHook: the JSON is {"hook":{"force":true}}.
        ObjectNode hook = (ObjectNode) definitions.get("v1alpha1SyncStrategyHook");
        if (hook != null) {
            ObjectNode properties = hook.putObject("properties");
            properties.putObject("force").put("type", "boolean");
        }
    }

    private final class Walk {
        private final String subject;
        private final boolean allowNulls;
        private final List<ContractViolation> violations;

        Walk(String subject, boolean allowNulls, List<ContractViolation> violations) {
            this.subject = subject;
            this.allowNulls = allowNulls;
            this.violations = violations;
        }

        void check(JsonNode schema, JsonNode value, String pointer) {
            schema = resolve(schema);
            if (value.isNull()) {
                if (!allowNulls) {
                    fail(pointer, "null value (the server omits empty fields instead)");
                }
                return;
            }
            String type = schema.path("type").asText(schema.has("properties") || schema.has("allOf") ? "object" : "");
            String format = schema.path("format").asText("");
            if ("int64".equals(format) || "int32".equals(format)) {
                // int64 is a JSON number on the wire even where swagger says string (CONTRACT.md section 0).
                checkInteger(value, pointer, format);
                return;
            }
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
                case "string" -> checkString(schema, value, pointer, format);
                case "boolean" -> {
                    if (!value.isBoolean()) {
                        fail(pointer, "expected a boolean, got " + describe(value));
                    }
                }
                case "integer" -> checkInteger(value, pointer, format);
                case "number" -> {
                    if (!value.isNumber()) {
                        fail(pointer, "expected a number, got " + describe(value));
                    }
                }
                case "" -> { } // no type: any JSON value
                default -> throw new IllegalStateException("unsupported swagger type '" + type + "' at " + pointer);
            }
        }

        private void checkObject(JsonNode schema, JsonNode value, String pointer) {
            if (!value.isObject()) {
                fail(pointer, "expected an object, got " + describe(value));
                return;
            }
            Map<String, JsonNode> properties = properties(schema);
            JsonNode additional = schema.get("additionalProperties");
            boolean freeForm = properties.isEmpty() && additional == null;
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String child = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                JsonNode propertySchema = properties.get(field.getKey());
                if (propertySchema != null) {
                    check(propertySchema, field.getValue(), child);
                } else if (additional != null && additional.isObject()) {
                    check(additional, field.getValue(), child);
                } else if (!freeForm && !(additional != null && additional.asBoolean(false))) {
                    fail(pointer, "unknown property '" + field.getKey() + "'");
                }
            }
        }

        private void checkString(JsonNode schema, JsonNode value, String pointer, String format) {
            if (!value.isTextual()) {
                fail(pointer, "expected a string, got " + describe(value));
                return;
            }
            String text = value.asText();
            if ("date-time".equals(format)) {
                try {
                    OffsetDateTime.parse(text);
                } catch (DateTimeParseException e) {
                    fail(pointer, "not an RFC 3339 date-time: '" + text + "'");
                }
            } else if ("byte".equals(format)) {
                try {
                    Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    fail(pointer, "not base64: '" + text + "'");
                }
            }
            JsonNode allowed = schema.get("enum");
            if (allowed != null) {
                boolean found = false;
                for (JsonNode candidate : allowed) {
                    found |= candidate.asText().equals(text);
                }
                if (!found) {
                    fail(pointer, "'" + text + "' is not one of " + allowed);
                }
            }
        }

        private void checkInteger(JsonNode value, String pointer, String format) {
            if (!value.isIntegralNumber()) {
                fail(pointer, "expected an integer JSON number" + ("int64".equals(format) ? " (int64)" : "")
                        + ", got " + describe(value));
            } else if ("int32".equals(format) && !value.canConvertToInt()) {
                fail(pointer, "integer out of int32 range: " + value);
            }
        }

        private void fail(String pointer, String problem) {
            violations.add(new ContractViolation(subject, pointer, problem));
        }
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return value.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }
}
