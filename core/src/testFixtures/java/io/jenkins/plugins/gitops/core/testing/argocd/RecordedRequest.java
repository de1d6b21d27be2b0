package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request the fake received, as the client sent it, except that credentials are redacted: the value of
 * {@code Authorization} keeps only its scheme ({@code "Bearer <redacted>"}) and the {@code argocd.token}
 * cookie value is replaced, so recordings can be printed safely.
 *
 * @param method  HTTP method
 * @param path    decoded request path, e.g. {@code /api/v1/applications/guestbook/sync}
 * @param query   decoded query parameters in order; repeated parameters keep every value
 * @param headers request headers, names in lower case
 * @param body    the raw body ({@code ""} when none)
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> query,
                              Map<String, List<String>> headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a header (case-insensitive name), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body parsed as JSON. */
    public JsonNode bodyJson() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("request body of " + this + " is not JSON", e);
        }
    }

    @Override
    public String toString() {
        return method + " " + path + (query.isEmpty() ? "" : " " + query);
    }
}
