package io.jenkins.plugins.gitops.core.argocd;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * JSON reading for the Argo CD model: unknown fields and unknown enum values are tolerated (the server
 * adds fields between releases), RFC 3339 timestamps become {@link Instant}s.
 */
public final class ApplicationJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new SimpleModule("argocd-time").addDeserializer(Instant.class, new InstantDeserializer()))
            .build();

    private ApplicationJson() {}

    /** The shared, thread-safe mapper configured for the Argo CD model. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads an Application from its JSON text (an API response body, a watch event, a custom resource).
     *
     * @throws IllegalArgumentException when the text is not an Application
     */
    public static Application parse(String json) {
        try {
            return MAPPER.readValue(json, Application.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an Argo CD Application: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads an Application that a server sent (an API answer, a watch event, a custom resource read through Kubernetes):
     * it must be a JSON object of the Application's shape that names the app. {@code what} says which call it answers.
     *
     * @throws UnexpectedAnswerException for anything else: no body, {@code null}, an array, a string, a number, fields
     *     of the wrong type, no {@code metadata.name}
     */
    public static Application parseAnswer(JsonNode json, String what) {
        if (json == null || json.isMissingNode() || json.isNull()) {
            throw new UnexpectedAnswerException(200, what + ": the server answered " + (json == null || json.isMissingNode()
                    ? "with an empty body" : "null") + " instead of an Application", null);
        }
        if (!json.isObject()) {
            throw new UnexpectedAnswerException(200, what + ": the server answered with a JSON "
                    + json.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " instead of an Application", null);
        }
        Application application;
        try {
            application = MAPPER.treeToValue(json, Application.class);
        } catch (JsonProcessingException e) {
            throw new UnexpectedAnswerException(200, what + ": the server's answer is not an Application: "
                    + e.getOriginalMessage(), e);
        }
        if (application == null || application.name() == null || application.name().isEmpty()) {
            throw new UnexpectedAnswerException(200, what + ": the server's answer is not an Application (it has no"
                    + " metadata.name)", null);
        }
        return application;
    }

    /** Reads an Application from a JSON tree (e.g. a fabric8 {@code GenericKubernetesResource} converted to a tree). */
    public static Application parse(JsonNode json) {
        try {
            return MAPPER.treeToValue(json, Application.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an Argo CD Application: " + e.getOriginalMessage(), e);
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null || text.isEmpty()) {
                return null;
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 timestamp");
            }
        }
    }
}
