package io.jenkins.plugins.gitops.core.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What to edit: a plain, portable value (strings, lists, an enum) that {@link #toJson()} and
 * {@link #fromJson(String)} round-trip, so it can be journalled and re-applied on a new commit or sent
 * to another machine. The repository root is not part of it: it is given to {@link ManifestEditor}.
 *
 * @param updates          the images to update, at least one
 * @param paths            files or directories relative to the root ({@code /} separated); empty means
 *                         the whole root
 * @param kind             which shape of file to edit; {@code null} means {@link TargetKind#AUTO}
 * @param keyPaths         for {@link TargetKind#KEY_PATH}: paths to scalars holding a whole image reference,
 *                         e.g. {@code spec.template.spec.containers[name=app].image} (segments: {@code key},
 *                         {@code [0]}, {@code [key=value]}, {@code [*]})
 * @param helmKeyPaths     for Helm values: paths to image blocks (a mapping with {@code repository},
 *                         {@code tag}, ...) or to scalars holding a whole reference; empty means the common
 *                         shapes anywhere in the file
 * @param argocdSourceApp  for {@link TargetKind#ARGOCD_SOURCE}: the Argo CD application name
 *                         ({@code .argocd-source-<app>.yaml})
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EditRequest(List<ImageUpdate> updates, List<String> paths, TargetKind kind, List<String> keyPaths,
                          List<String> helmKeyPaths, String argocdSourceApp) implements Serializable {

    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([-a-z0-9._]*[a-z0-9])?(_[a-z0-9]([-a-z0-9._]*[a-z0-9])?)?");

    /** Created on first use: loading Jackson costs a command-line run that never needs JSON. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    }

    public EditRequest {
        updates = updates == null ? List.of() : List.copyOf(updates);
        paths = paths == null ? List.of() : List.copyOf(paths);
        kind = kind == null ? TargetKind.AUTO : kind;
        keyPaths = keyPaths == null ? List.of() : List.copyOf(keyPaths);
        helmKeyPaths = helmKeyPaths == null ? List.of() : List.copyOf(helmKeyPaths);
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("an edit request needs at least one image update");
        }
        for (String path : paths) {
            if (path.isEmpty() || path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
                throw new IllegalArgumentException("path '" + path + "' must be relative to the repository root");
            }
        }
        for (String keyPath : keyPaths) {
            KeyPath.parse(keyPath);
        }
        for (String keyPath : helmKeyPaths) {
            KeyPath.parse(keyPath);
        }
        if (argocdSourceApp != null && !APP_NAME.matcher(argocdSourceApp).matches()) {
            throw new IllegalArgumentException("Argo CD application name '" + argocdSourceApp
                    + "' is invalid (lowercase letters, digits, '-', '.'; '<namespace>_<app>' for another namespace)");
        }
    }

    /**
     * Checks what only the whole request can tell (the withers build a request step by step): kind
     * {@link TargetKind#KEY_PATH} needs key paths, {@link TargetKind#ARGOCD_SOURCE} an application name.
     * {@link ManifestEditor} calls it before anything else.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    public EditRequest validated() {
        if (kind == TargetKind.KEY_PATH && keyPaths.isEmpty()) {
            throw new IllegalArgumentException("kind KEY_PATH needs at least one key path");
        }
        if (kind == TargetKind.ARGOCD_SOURCE && argocdSourceApp == null) {
            throw new IllegalArgumentException("kind ARGOCD_SOURCE needs the Argo CD application name");
        }
        return this;
    }

    /** A request for {@code updates} over the whole root, kind {@link TargetKind#AUTO}. */
    public static EditRequest of(ImageUpdate... updates) {
        return new EditRequest(List.of(updates), null, null, null, null, null);
    }

    public EditRequest withPaths(List<String> newPaths) {
        return new EditRequest(updates, newPaths, kind, keyPaths, helmKeyPaths, argocdSourceApp);
    }

    public EditRequest withKind(TargetKind newKind) {
        return new EditRequest(updates, paths, newKind, keyPaths, helmKeyPaths, argocdSourceApp);
    }

    public EditRequest withKeyPaths(List<String> newKeyPaths) {
        return new EditRequest(updates, paths, kind, newKeyPaths, helmKeyPaths, argocdSourceApp);
    }

    public EditRequest withHelmKeyPaths(List<String> newHelmKeyPaths) {
        return new EditRequest(updates, paths, kind, keyPaths, newHelmKeyPaths, argocdSourceApp);
    }

    public EditRequest withArgocdSourceApp(String app) {
        return new EditRequest(updates, paths, kind, keyPaths, helmKeyPaths, app);
    }

    /** This request as JSON (Jackson; empty lists and nulls left out). */
    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an edit request always serialises", e);
        }
    }

    /**
     * Reads a request written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException when the JSON is malformed or describes an invalid request
     */
    public static EditRequest fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, EditRequest.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException invalid ? invalid : e;
            throw new IllegalArgumentException("not a valid edit request: " + cause.getMessage(), e);
        }
    }
}
