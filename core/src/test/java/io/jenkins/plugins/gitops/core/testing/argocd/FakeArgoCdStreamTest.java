package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The watch stream: framing, event order, resourceVersion, and how it breaks. */
@Timeout(30) // every test reads a stream: a missing line must fail, not block
class FakeArgoCdStreamTest {

    private static final String SHA = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";
    private static final String WATCH = "/api/v1/stream/applications?name=guestbook";

    @RegisterExtension
    final FakeArgoCdExtension extension = new FakeArgoCdExtension(options -> options.keepAliveInterval(Duration.ofMillis(20)));

    private FakeArgoCd argo;
    private RawApi api;
    private String token;
    private FakeApplication app;

    @BeforeEach
    void start() {
        argo = extension.fake().setRevision("main", SHA);
        api = new RawApi(argo);
        token = argo.issueToken(FakeArgoCd.USERNAME);
        app = argo.createApp("guestbook");
    }


    private static JsonNode event(BufferedReader lines) throws IOException {
        String line = lines.readLine();
        assertThat(line).as("next stream line").isNotNull();
        return RawApi.JSON.readTree(line).path("result");
    }

    /** The next {@code data:} event of an event stream, past keepalives and blank lines. */
    private static JsonNode dataEvent(BufferedReader lines) throws IOException {
        String line;
        do {
            line = lines.readLine();
            assertThat(line).as("next stream line").isNotNull();
        } while (!line.startsWith("data: "));
        return RawApi.JSON.readTree(line.substring("data: ".length())).path("result");
    }

    private static BufferedReader reader(HttpResponse<InputStream> response) {
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void followsASyncFromAddedToHealthyWithIncreasingResourceVersions() throws Exception {
        HttpResponse<InputStream> response = api.stream(WATCH, token, null);
        try (BufferedReader lines = reader(response)) {
            assertThat(event(lines).path("type").asText()).isEqualTo("ADDED");
            api.json("POST", "/api/v1/applications/guestbook/sync", token, "{}");
            long previous = 0;
            String phase = "";
            String health = "";
            while (!("Succeeded".equals(phase) && "Healthy".equals(health))) {
                JsonNode event = event(lines);
                assertThat(event.path("type").asText()).isEqualTo("MODIFIED");
                JsonNode application = event.path("application");
                long version = application.path("metadata").path("resourceVersion").asLong();
                assertThat(version).isGreaterThan(previous);
                previous = version;
                phase = application.path("status").path("operationState").path("phase").asText();
                health = application.path("status").path("health").path("status").asText();
            }
        }
    }

    @Test
    void resourceVersionSkipsOlderChangesButNameStillSendsTheCurrentApp() throws Exception {
        String version = app.json().path("metadata").path("resourceVersion").asText();
        app.kustomizeImages("ghcr.io/example-org/guestbook:1.4.3");
        HttpResponse<InputStream> response = api.stream(WATCH + "&resourceVersion=" + version, token, null);
        try (BufferedReader lines = reader(response)) {
            JsonNode added = event(lines);
            assertThat(added.path("type").asText()).isEqualTo("ADDED");
            assertThat(added.path("application").path("spec").path("source").path("kustomize").path("images").get(0).asText())
                    .isEqualTo("ghcr.io/example-org/guestbook:1.4.3");
        }
    }

    @Test
    void aChangeThatChangesNothingSendsNoEvent() throws Exception {
        HttpResponse<InputStream> response = api.stream(WATCH, token, null);
        try (BufferedReader lines = reader(response)) {
            event(lines);
            app.targetRevision("main");
            app.path("apps/elsewhere");
            JsonNode next = event(lines);
            assertThat(next.path("application").path("spec").path("source").path("path").asText()).isEqualTo("apps/elsewhere");
        }
    }

    @Test
    void deletedAppEndsWithDeleted() throws Exception {
        HttpResponse<InputStream> response = api.stream(WATCH, token, null);
        try (BufferedReader lines = reader(response)) {
            event(lines);
            app.delete();
            assertThat(event(lines).path("type").asText()).isEqualTo("DELETED");
        }
    }

    @Test
    void eventStreamFramingIsDataSpaceBlankLineThenTheDelimiter() throws Exception {
        HttpResponse<InputStream> response = api.stream(WATCH, token, "text/event-stream");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (BufferedReader lines = reader(response)) {
            String first = lines.readLine();
            assertThat(first).startsWith("data: {\"result\":{\"type\":\"ADDED\"").endsWith("}} ");
            assertThat(lines.readLine()).as("end of the event").isEmpty();
            assertThat(lines.readLine()).as("grpc-gateway's delimiter").isEmpty();
            assertThat(lines.readLine()).as("keepalive").isEqualTo(":");
        }
    }

    @Test
    void eventStreamKeepalivesStartBeforeTheFirstEventAndSendTheHeaders() throws Exception {
        argo.faults().withholdInitialStreamEvent(1);

        HttpResponse<InputStream> response = api.stream(WATCH, token, "text/event-stream");

        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader lines = reader(response)) {
            assertThat(lines.readLine()).as("a keepalive, no event yet").isEqualTo(":");
            app.degradeNow("OOMKilled");
            String line;
            while (":".equals(line = lines.readLine())) {
                // keepalives until the change arrives
            }
            assertThat(line).startsWith("data: {\"result\":{\"type\":\"MODIFIED\"").contains("OOMKilled");
        }
    }

    @Test
    void eventStreamErrorChunkIsADataEventWithoutDelimiter() throws Exception {
        argo.faults().breakStreams(1, 1, 14, "transport is closing");
        HttpResponse<InputStream> response = api.stream(WATCH, token, "text/event-stream");
        try (InputStream body = response.body()) {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8).replace(":\n", "");
            assertThat(text).endsWith("\n\n\ndata: {\"error\":{\"grpc_code\":14,\"http_code\":503,"
                    + "\"message\":\"transport is closing\",\"http_status\":\"Service Unavailable\"}} \n\n");
        }
    }

    @Test
    void resourceVersionIsALowerBoundThatIncludesTheEventAtIt() throws Exception {
        long current = app.json().path("metadata").path("resourceVersion").asLong();
        // event-stream, so that the keepalives send the headers while no event matches yet
        HttpResponse<InputStream> response = api.stream(WATCH + "&resourceVersion=" + (current + 1), token,
                "text/event-stream");
        try (BufferedReader lines = reader(response)) {
            app.degradeNow("OOMKilled");

            JsonNode first = dataEvent(lines);
            assertThat(first.path("type").asText()).as("the current app, older than the bound, is not sent")
                    .isEqualTo("MODIFIED");
            assertThat(first.path("application").path("metadata").path("resourceVersion").asLong()).isEqualTo(current + 1);
        }
    }

    @Test
    void unparsableResourceVersionIsIgnored() throws Exception {
        HttpResponse<InputStream> response = api.stream(WATCH + "&resourceVersion=not-a-number", token, null);

        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader lines = reader(response)) {
            assertThat(event(lines).path("type").asText()).isEqualTo("ADDED");
        }
    }

    @Test
    void errorChunkEndsTheStreamWithoutTrailingNewline() throws Exception {
        argo.faults().breakStreams(1, 1, 16, "invalid session: token is expired");
        HttpResponse<InputStream> response = api.stream(WATCH, token, null);
        try (InputStream body = response.body()) {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            String[] parts = text.split("\n", -1);
            assertThat(parts).hasSize(2);
            assertThat(RawApi.JSON.readTree(parts[0]).path("result").path("type").asText()).isEqualTo("ADDED");
            assertThat(parts[1]).isEqualTo("{\"error\":{\"grpc_code\":16,\"http_code\":401,"
                    + "\"message\":\"invalid session: token is expired\",\"http_status\":\"Unauthorized\"}}");
        }
        assertThat(api.stream(WATCH, token, null).statusCode()).as("only one stream breaks").isEqualTo(200);
    }

    @Test
    void droppedStreamEndsWithPlainEof() throws Exception {
        argo.faults().dropStreams(1, 1);
        HttpResponse<InputStream> response = api.stream(WATCH, token, null);
        try (BufferedReader lines = reader(response)) {
            assertThat(event(lines).path("type").asText()).isEqualTo("ADDED");
            assertThat(lines.readLine()).isNull();
        }
    }

    @Test
    void unauthenticatedWatchAnswersTheStatusWithAnErrorChunk() throws Exception {
        HttpResponse<InputStream> response = api.stream(WATCH, null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        try (InputStream body = response.body()) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":{\"grpc_code\":16,"
                    + "\"http_code\":401,\"message\":\"no session information\",\"http_status\":\"Unauthorized\"}}");
        }
    }

    @Test
    void unavailableStreamsAnswer404UntilAvailableAgain() throws Exception {
        argo.faults().streamsUnavailable(404);
        assertThat(api.stream(WATCH, token, null).statusCode()).isEqualTo(404);
        assertThat(api.stream(WATCH, token, null).statusCode()).isEqualTo(404);

        argo.faults().streamsAvailable();
        assertThat(api.stream(WATCH, token, null).statusCode()).isEqualTo(200);
    }

    @Test
    void withheldInitialEventMeansNoHeadersUntilTheAppChanges() throws Exception {
        argo.faults().withholdInitialStreamEvent(1);
        URI uri = URI.create(argo.url());
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + WATCH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(300);
            InputStream in = socket.getInputStream();
            assertThatThrownBy(in::read).as("no status line before the first event").isInstanceOf(SocketTimeoutException.class);

            app.degradeNow("OOMKilled");

            socket.setSoTimeout(30_000);
            BufferedReader response = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            assertThat(response.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            while (!(line = response.readLine()).isEmpty()) {
                // headers
            }
            response.readLine(); // chunk size
            assertThat(response.readLine()).contains("\"type\":\"MODIFIED\"").contains("OOMKilled");
        }
    }

    @Test
    void labelSelectorPicksTheApps() throws Exception {
        app.labels(Map.of("team", "web"));
        argo.createApp("billing").labels(Map.of("team", "payments"));
        HttpResponse<InputStream> response = api.stream("/api/v1/stream/applications?selector=team%3Dpayments", token, null);
        try (BufferedReader lines = reader(response)) {
            assertThat(event(lines).path("application").path("metadata").path("name").asText()).isEqualTo("billing");
            app.degradeNow("ignored by this watch");
            argo.app("billing").degradeNow("seen");
            JsonNode next = event(lines);
            assertThat(next.path("application").path("metadata").path("name").asText()).isEqualTo("billing");
        }
    }

    @Test
    void watchWithoutNameSendsEveryVisibleAppOfTheProjects() throws Exception {
        argo.createApp("billing").project("payments");
        argo.createApp("secret").forbidden(true);
        HttpResponse<InputStream> response = api.stream("/api/v1/stream/applications?projects=default", token, null);
        try (BufferedReader lines = reader(response)) {
            assertThat(event(lines).path("application").path("metadata").path("name").asText()).isEqualTo("guestbook");
            app.degradeNow("x");
            JsonNode next = event(lines);
            assertThat(next.path("type").asText()).isEqualTo("MODIFIED");
            assertThat(next.path("application").path("metadata").path("name").asText()).isEqualTo("guestbook");
        }
    }
}
