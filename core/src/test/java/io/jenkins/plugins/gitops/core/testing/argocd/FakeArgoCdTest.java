package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeArgoCdTest {

    private static final String SHA = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final FakeArgoCdExtension extension = new FakeArgoCdExtension();

    private FakeArgoCd argo;
    private RawApi api;
    private String token;

    @BeforeEach
    void start() {
        argo = extension.fake().setRevision("main", SHA);
        api = new RawApi(argo);
        token = argo.issueToken(FakeArgoCd.USERNAME);
    }


    @Test
    void servesTheAppSyncedAndHealthyAtItsTargetRevision() throws Exception {
        argo.createApp("guestbook");

        HttpResponse<String> response = api.get("/api/v1/applications/guestbook", token);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode app = RawApi.body(response);
        assertThat(app.path("metadata").path("name").asText()).isEqualTo("guestbook");
        assertThat(app.path("status").path("sync").path("status").asText()).isEqualTo("Synced");
        assertThat(app.path("status").path("sync").path("revision").asText()).isEqualTo(SHA);
        assertThat(app.path("status").path("health").path("status").asText()).isEqualTo("Healthy");
    }

    @Test
    void syncAnswersWithTheOperationAndWithoutOperationState() throws Exception {
        argo.createApp("guestbook");

        HttpResponse<String> response = api.json("POST", "/api/v1/applications/guestbook/sync", token,
                "{\"revision\":\"main\",\"strategy\":{\"hook\":{}},\"infos\":[{\"name\":\"build\",\"value\":\"142\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode app = RawApi.body(response);
        assertThat(app.path("operation").path("sync").path("revision").asText()).isEqualTo(SHA);
        assertThat(app.path("operation").path("initiatedBy").path("username").asText()).isEqualTo(FakeArgoCd.USERNAME);
        assertThat(app.path("operation").path("info").get(0).path("value").asText()).isEqualTo("142");
        assertThat(app.path("operation").path("retry").isObject()).isTrue();
        assertThat(app.path("status").has("operationState")).isFalse();
    }

    @Test
    void controllerRunsTheSyncToSucceededSyncedHealthyAndReconciledAfterFinishing() throws Exception {
        FakeApplication app = argo.createApp("guestbook");
        api.json("POST", "/api/v1/applications/guestbook/sync", token, "{}");

        JsonNode done = app.await(json -> "Healthy".equals(json.path("status").path("health").path("status").asText())
                && "Succeeded".equals(json.path("status").path("operationState").path("phase").asText()), WAIT);

        JsonNode state = done.path("status").path("operationState");
        assertThat(done.has("operation")).isFalse();
        assertThat(state.path("syncResult").path("revision").asText()).isEqualTo(SHA);
        assertThat(state.path("message").asText()).isEqualTo("successfully synced (all tasks run)");
        Instant started = Instant.parse(state.path("startedAt").asText());
        Instant finished = Instant.parse(state.path("finishedAt").asText());
        Instant reconciled = Instant.parse(done.path("status").path("reconciledAt").asText());
        assertThat(started).isBeforeOrEqualTo(finished); // second resolution: often the same second
        assertThat(reconciled).isAfterOrEqualTo(finished);
        assertThat(done.path("status").path("sync").path("status").asText()).isEqualTo("Synced");
        assertThat(done.path("status").path("history").get(0).path("revision").asText()).isEqualTo(SHA);
    }

    @Test
    void lastOperationSetsUpAFinishedEarlierOperation() throws Exception {
        String old = "9d2c41a7e3f05b8c61d4f7a2e90b3c5d18e6f4a1";
        argo.createApp("guestbook").lastOperation(old, FakeApplication.SyncOutcome.succeeded());

        JsonNode state = RawApi.body(api.get("/api/v1/applications/guestbook", token)).path("status").path("operationState");

        assertThat(state.path("phase").asText()).isEqualTo("Succeeded");
        assertThat(state.path("syncResult").path("revision").asText()).isEqualTo(old);
        assertThat(Instant.parse(state.path("finishedAt").asText())).isAfterOrEqualTo(Instant.parse(state.path("startedAt").asText()));
    }

    @Test
    void runsWithoutContractValidationWhenAskedOrWhenSharedDataIsAbsent() throws Exception {
        try (FakeArgoCd plain = FakeArgoCd.builder().withoutContractValidation().start().setRevision("main", SHA)) {
            plain.createApp("guestbook").edit(json -> json.withObjectProperty("spec").put("project", 7));
            RawApi plainApi = new RawApi(plain);

            HttpResponse<String> response = plainApi.get("/api/v1/applications/guestbook", plain.issueToken("jenkins"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(plain.validatesContract()).isFalse();
            assertThat(plain.validatedBodies()).isZero();
            assertThat(plain.contractViolations()).isEmpty();
        }
    }

    @Test
    void watchSendsTheCurrentAppAsAddedThenEachChangeAsOneJsonLine() throws Exception {
        FakeApplication app = argo.createApp("guestbook");
        HttpResponse<InputStream> stream = api.stream("/api/v1/stream/applications?name=guestbook", token, null);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("application/json");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            JsonNode added = RawApi.JSON.readTree(lines.readLine());
            assertThat(added.path("result").path("type").asText()).isEqualTo("ADDED");
            long firstVersion = added.path("result").path("application").path("metadata").path("resourceVersion").asLong();

            app.degradeNow("Back-off restarting failed container");

            JsonNode modified = RawApi.JSON.readTree(lines.readLine());
            assertThat(modified.path("result").path("type").asText()).isEqualTo("MODIFIED");
            JsonNode application = modified.path("result").path("application");
            assertThat(application.path("metadata").path("resourceVersion").asLong()).isGreaterThan(firstVersion);
            assertThat(application.path("status").path("health").path("status").asText()).isEqualTo("Degraded");
        }
    }
}
