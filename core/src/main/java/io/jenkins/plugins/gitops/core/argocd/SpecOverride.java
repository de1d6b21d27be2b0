package io.jenkins.plugins.gitops.core.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.Application.HelmParameter;
import java.util.List;

/**
 * Parameter overrides written on the Application itself (the "argocd" write-back method), merged the way
 * {@code argocd app set --kustomize-image / --helm-set} merges them:
 * <ul>
 *   <li>a kustomize image {@code [old=]new[:tag][@digest]} replaces, in place, the entry whose part before the first
 *       {@code =}, {@code :} or {@code @} is the same, else it is appended;</li>
 *   <li>a Helm parameter replaces the entry of the same name, else it is appended.</li>
 * </ul>
 * Works on the JSON tree of the spec so that every field this model does not know survives the round trip (the API
 * replaces the whole spec). Shared by the API client and the custom resource path.
 *
 * @param kustomizeImages images to merge into {@code kustomize.images}
 * @param helmParameters parameters to merge into {@code helm.parameters}
 * @param sourcePosition 1-based index into {@code spec.sources}; null for an app with a single source
 */
public record SpecOverride(List<String> kustomizeImages, List<HelmParameter> helmParameters, Integer sourcePosition) {

    public SpecOverride {
        kustomizeImages = kustomizeImages == null ? List.of() : List.copyOf(kustomizeImages);
        helmParameters = helmParameters == null ? List.of() : List.copyOf(helmParameters);
        if (kustomizeImages.isEmpty() && helmParameters.isEmpty()) {
            throw new IllegalArgumentException("nothing to override: give at least one kustomize image or helm parameter");
        }
        for (String image : kustomizeImages) {
            if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("invalid kustomize image override '" + image
                        + "': expected [old=]new[:tag][@digest]");
            }
        }
        for (HelmParameter p : helmParameters) {
            if (p.name() == null || p.name().isBlank()) {
                throw new IllegalArgumentException("helm parameter without a name");
            }
        }
        if (sourcePosition != null && sourcePosition < 1) {
            throw new IllegalArgumentException("source position is 1-based: " + sourcePosition);
        }
    }

    /**
     * Returns a copy of {@code spec} with the overrides merged; {@code spec} itself is not modified. Compare the result
     * with the input to know whether anything changed.
     *
     * @throws IllegalArgumentException when the spec has no source at the requested position
     */
    public ObjectNode applyTo(ObjectNode spec) {
        ObjectNode edited = spec.deepCopy();
        ObjectNode source = source(edited);
        if (!kustomizeImages.isEmpty()) {
            ArrayNode images = arrayAt(objectAt(source, "kustomize"), "images");
            for (String image : kustomizeImages) {
                int at = indexOfImage(images, imageKey(image));
                if (at >= 0) {
                    images.set(at, image);
                } else {
                    images.add(image);
                }
            }
        }
        if (!helmParameters.isEmpty()) {
            ArrayNode parameters = arrayAt(objectAt(source, "helm"), "parameters");
            for (HelmParameter p : helmParameters) {
                ObjectNode entry = parameters.objectNode().put("name", p.name()).put("value", p.value());
                if (p.forceString()) {
                    entry.put("forceString", true);
                }
                int at = indexOfParameter(parameters, p.name());
                if (at >= 0) {
                    parameters.set(at, entry);
                } else {
                    parameters.add(entry);
                }
            }
        }
        return edited;
    }

    private ObjectNode source(ObjectNode spec) {
        JsonNode sources = spec.path("sources");
        if (sourcePosition == null) {
            if (spec.path("source").isObject()) {
                return (ObjectNode) spec.get("source");
            }
            if (sources.isArray() && sources.size() == 1 && sources.get(0).isObject()) {
                return (ObjectNode) sources.get(0);
            }
            throw new IllegalArgumentException("the application has " + sources.size()
                    + " sources: say which one to override (source position, 1-based)");
        }
        if (!sources.isArray() || sources.size() < sourcePosition || !sources.get(sourcePosition - 1).isObject()) {
            if (sourcePosition == 1 && spec.path("source").isObject()) {
                return (ObjectNode) spec.get("source");
            }
            throw new IllegalArgumentException("the application has no source at position " + sourcePosition);
        }
        return (ObjectNode) sources.get(sourcePosition - 1);
    }

    /** The part of a kustomize image override before the first '=', ':' or '@': what entries are matched on. */
    static String imageKey(String image) {
        for (int i = 0; i < image.length(); i++) {
            char c = image.charAt(i);
            if (c == '=' || c == ':' || c == '@') {
                return image.substring(0, i);
            }
        }
        return image;
    }

    private static int indexOfImage(ArrayNode images, String key) {
        for (int i = 0; i < images.size(); i++) {
            if (key.equals(imageKey(images.get(i).asText()))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfParameter(ArrayNode parameters, String name) {
        for (int i = 0; i < parameters.size(); i++) {
            if (name.equals(parameters.get(i).path("name").asText(null))) {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        return parent.path(field).isObject() ? (ObjectNode) parent.get(field) : parent.putObject(field);
    }

    private static ArrayNode arrayAt(ObjectNode parent, String field) {
        return parent.path(field).isArray() ? (ArrayNode) parent.get(field) : parent.putArray(field);
    }
}
