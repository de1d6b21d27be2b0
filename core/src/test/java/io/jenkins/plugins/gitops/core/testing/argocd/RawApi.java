package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to the fake, as any client would make them, for the fake's own tests. */
final class RawApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;

    RawApi(FakeArgoCd fake) {
        this(fake, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    RawApi(FakeArgoCd fake, HttpClient http) {
        this.http = http;
        this.base = fake.url();
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> json(String method, String path, String token, String body) throws IOException, InterruptedException {
        return send(method, path, token, "application/json", body);
    }

    /** Opens a watch stream; the caller reads (and closes) the body. */
    HttpResponse<InputStream> stream(String pathAndQuery, String token, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(pathAndQuery, token).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    static JsonNode body(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }
}
