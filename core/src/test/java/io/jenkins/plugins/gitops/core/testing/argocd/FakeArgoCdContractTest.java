package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the fake serves is checked against swagger.json and the CRD, and a wrong body is caught. */
class FakeArgoCdContractTest {

    private static final String SHA = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";
    private static final String APP = "/api/v1/applications/guestbook";

    @RegisterExtension
    final FakeArgoCdExtension extension = new FakeArgoCdExtension();

    private FakeArgoCd argo;
    private RawApi api;
    private String token;

    @BeforeEach
    void start() {
        SwaggerContract.require();
        CrdSchema.requireApplication();
        argo = extension.fake().setRevision("main", SHA);
        assumeTrue(argo.validatesContract());
        api = new RawApi(argo);
        token = argo.issueToken(FakeArgoCd.USERNAME);
    }


    @Test
    void everyEndpointServesBodiesThatValidate() throws Exception {
        FakeApplication app = argo.createApp("guestbook").preSyncHook("migrate").postSyncHook("smoke")
                .kustomizeImages("ghcr.io/example-org/guestbook:1.4.3").automated(false);
        HttpResponse<InputStream> stream = api.stream("/api/v1/stream/applications?name=guestbook", token, null);

        api.json("POST", "/api/v1/session", null, "{\"username\":\"jenkins\",\"password\":\"jenkins-password\"}");
        api.get("/api/v1/session/userinfo", token);
        api.get("/api/version", null);
        api.get(APP + "?refresh=normal", token);
        api.json("POST", APP + "/sync", token, Files.readString(SharedData.require("argocd/examples/sync-request.json")));
        app.await(json -> "Healthy".equals(json.path("status").path("health").path("status").asText())
                && !json.has("operation"), Duration.ofSeconds(30));
        api.get(APP + "/resource-tree", token);
        api.get(APP + "/managed-resources", token);
        api.json("PUT", APP + "/spec?validate=true", token, app.json().path("spec").toString());
        api.json("PATCH", APP, token, "{\"patchType\":\"merge\",\"patch\":\"{\\\"metadata\\\":{\\\"labels\\\":{\\\"team\\\":\\\"a\\\"}}}\"}");
        api.json("DELETE", APP + "/operation", token, null);
        api.get(APP + "?project=nope", token);
        api.get(APP, null);
        stream.body().close();

        assertThat(argo.contractViolations()).isEmpty();
        assertThat(argo.validatedBodies()).as("requests and responses checked").isGreaterThan(argo.requests().size() + 5);
    }

    @Test
    void aServedResponseOutsideTheContractIsAViolation() throws Exception {
        argo.expectContractViolations();
        FakeApplication app = argo.createApp("guestbook");
        app.edit(json -> json.withObjectProperty("status").put("reconciledAt", "yesterday"));
        assertThat(argo.contractViolations()).as("the CRD check of the stored app").isNotEmpty();
        int afterEdit = argo.contractViolations().size();

        api.get(APP, token);

        assertThat(argo.contractViolations()).hasSizeGreaterThan(afterEdit).last()
                .satisfies(v -> {
                    assertThat(v.subject()).isEqualTo("response GET /api/v1/applications/{name} 200");
                    assertThat(v.pointer()).isEqualTo("/status/reconciledAt");
                });
        AssertionErrorCatcher.assertThrowsContaining(argo::assertNoContractViolations, "/status/reconciledAt");
    }

    @Test
    void closingAFakeThatSawAViolationFailsTheTest() {
        FakeArgoCd other = FakeArgoCd.start();
        other.createApp("guestbook").edit(json -> json.withObjectProperty("spec").put("project", 7));

        AssertionErrorCatcher.assertThrowsContaining(other::close, "/spec/project");
    }
}
