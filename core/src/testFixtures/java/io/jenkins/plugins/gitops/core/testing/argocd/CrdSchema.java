package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Validates objects against a CustomResourceDefinition's {@code openAPIV3Schema} (structural schema:
 * {@code type}, {@code properties}, {@code required}, {@code items}, {@code additionalProperties},
 * {@code enum}, {@code pattern}, {@code minLength}, {@code format} int64/date-time,
 * {@code x-kubernetes-preserve-unknown-fields}, {@code x-kubernetes-int-or-string}). Unknown fields are
 * violations, as with {@code kubectl apply --validate=strict}.
 */
public final class CrdSchema {

    /** The Argo CD Application CRD under the shared reference data. */
    public static final String APPLICATION_CRD = "argocd/application-crd.yaml";

    private final String kind;
    private final JsonNode schema;

    private CrdSchema(String kind, JsonNode schema) {
        this.kind = kind;
        this.schema = schema;
    }

    /** Loads the first served version's schema of a CRD file. */
    public static CrdSchema load(Path crdYaml) {
        Object parsed;
        try (Reader reader = Files.newBufferedReader(crdYaml, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(16 * 1024 * 1024);
            parsed = new Yaml(options).load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CRD " + crdYaml, e);
        }
        JsonNode crd = FakeArgoCd.JSON.valueToTree(parsed);
        JsonNode version = crd.path("spec").path("versions").path(0);
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        if (!schema.isObject()) {
            throw new IllegalArgumentException(crdYaml + " has no spec.versions[0].schema.openAPIV3Schema");
        }
        return new CrdSchema(crd.path("spec").path("names").path("kind").asText("object"), schema);
    }

    /** The Application CRD for a test, skipping the test when ../shared is absent. */
    public static CrdSchema requireApplication() {
        SharedData.require(APPLICATION_CRD);
        return sharedApplication().orElseThrow();
    }

    /** The Application CRD, loaded once per JVM; empty when ../shared is absent. */
    public static Optional<CrdSchema> sharedApplication() {
        return SharedReference.parsed(APPLICATION_CRD, CrdSchema::load);
    }

    /** Violations of {@code object} (a whole custom resource, e.g. an Application as the API serves it). */
    public List<ContractViolation> validate(JsonNode object) {
        List<ContractViolation> violations = new ArrayList<>();
        check(schema, object, "", violations);
        return violations;
    }

    private void check(JsonNode schema, JsonNode value, String pointer, List<ContractViolation> violations) {
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) && !schema.has("properties")) {
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                fail(pointer, "expected an integer or a string, got " + value.getNodeType(), violations);
            }
            return;
        }
        if (value.isNull()) {
            fail(pointer, "null value", violations);
            return;
        }
        switch (schema.path("type").asText("")) {
            case "object" -> checkObject(schema, value, pointer, violations);
            case "array" -> {
                if (!value.isArray()) {
                    fail(pointer, "expected an array, got " + value.getNodeType(), violations);
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), pointer + "/" + i, violations);
                }
            }
            case "string" -> checkString(schema, value, pointer, violations);
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    fail(pointer, "expected an integer, got " + value.getNodeType(), violations);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    fail(pointer, "expected a boolean, got " + value.getNodeType(), violations);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    fail(pointer, "expected a number, got " + value.getNodeType(), violations);
                }
            }
            default -> { } // untyped: anything
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String pointer, List<ContractViolation> violations) {
        if (!value.isObject()) {
            fail(pointer, "expected an object, got " + value.getNodeType(), violations);
            return;
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                fail(pointer, "missing required field '" + required.asText() + "'", violations);
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean freeForm = !schema.has("properties") && additional == null;
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String child = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), child, violations);
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), child, violations);
            } else if (!freeForm && !preserveUnknown && !(additional != null && additional.asBoolean(false))) {
                fail(pointer, "unknown field '" + field.getKey() + "'", violations);
            }
        }
    }

    private void checkString(JsonNode schema, JsonNode value, String pointer, List<ContractViolation> violations) {
        if (!value.isTextual()) {
            fail(pointer, "expected a string, got " + value.getNodeType(), violations);
            return;
        }
        String text = value.asText();
        if ("date-time".equals(schema.path("format").asText()) && !text.isEmpty()) {
            try {
                OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                fail(pointer, "not an RFC 3339 date-time: '" + text + "'", violations);
            }
        }
        if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
            fail(pointer, "shorter than " + schema.get("minLength").asInt() + " characters", violations);
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
            fail(pointer, "'" + text + "' does not match " + schema.get("pattern").asText(), violations);
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : schema.get("enum")) {
                found |= allowed.asText().equals(text);
            }
            if (!found) {
                fail(pointer, "'" + text + "' is not one of " + schema.get("enum"), violations);
            }
        }
    }

    private void fail(String pointer, String problem, List<ContractViolation> violations) {
        violations.add(new ContractViolation(kind.toLowerCase(Locale.ROOT) + " CRD schema", pointer, problem));
    }
}
