package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Status codes and error bodies, word for word as CONTRACT.md gives them. */
class FakeArgoCdErrorsTest {

    private static final String SHA = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";
    private static final String APP = "/api/v1/applications/guestbook";

    @RegisterExtension
    final FakeArgoCdExtension extension = new FakeArgoCdExtension();

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


    private static void assertError(HttpResponse<String> response, int status, int code, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"error\":" + quote(message) + ",\"code\":" + code + ",\"message\":"
                + quote(message) + "}");
    }

    private static String quote(String text) {
        return RawApi.JSON.getNodeFactory().textNode(text).toString();
    }

    @Test
    void withoutTokenAnswers401NoSessionInformation() throws Exception {
        assertError(api.get(APP, null), 401, 16, "no session information");
    }

    @Test
    void expiredTokenAnswers401TokenIsExpired() throws Exception {
        argo.expireToken(token);

        assertError(api.get(APP, token), 401, 16, "invalid session: token is expired");
    }

    @Test
    void expiringAllTokensAlsoExpiresSessionTokens() throws Exception {
        String session = RawApi.body(api.json("POST", "/api/v1/session", null,
                "{\"username\":\"jenkins\",\"password\":\"jenkins-password\"}")).path("token").asText();
        argo.expireAllTokens();

        assertError(api.get(APP, session), 401, 16, "invalid session: token is expired");
    }

    @Test
    void tokenNotIssuedByTheServerIsAnInvalidSession() throws Exception {
        HttpResponse<String> response = api.get(APP, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(RawApi.body(response).path("message").asText()).startsWith("invalid session: ");
    }

    @Test
    void loginGivesAJwtAndTheArgocdTokenCookie() throws Exception {
        HttpResponse<String> response = api.json("POST", "/api/v1/session", null,
                "{\"username\":\"jenkins\",\"password\":\"jenkins-password\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        String jwt = RawApi.body(response).path("token").asText();
        assertThat(jwt.split("\\.")).hasSize(3);
        assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(
                cookie -> assertThat(cookie).startsWith("argocd.token=" + jwt + ";"));
        assertThat(api.get(APP, jwt).statusCode()).isEqualTo(200);
    }

    @Test
    void loginWithWrongPasswordOrNoCredentialsAnswers401() throws Exception {
        assertError(api.json("POST", "/api/v1/session", null, "{\"username\":\"jenkins\",\"password\":\"nope\"}"),
                401, 16, "Invalid username or password");
        assertError(api.json("POST", "/api/v1/session", null, "{}"), 401, 16, "no credentials supplied");
    }

    @Test
    void userinfoNamesTheCaller() throws Exception {
        JsonNode info = RawApi.body(api.get("/api/v1/session/userinfo", token));

        assertThat(info.path("loggedIn").asBoolean()).isTrue();
        assertThat(info.path("username").asText()).isEqualTo(FakeArgoCd.USERNAME);
        assertThat(info.path("iss").asText()).isEqualTo("argocd");
    }

    @Test
    void nonGetWithoutExactlyApplicationJsonAnswers415() throws Exception {
        for (String contentType : new String[] {null, "text/plain", "application/json; charset=utf-8"}) {
            HttpResponse<String> response = api.send("POST", APP + "/sync", token, contentType, "{}");
            assertThat(response.statusCode()).as(contentType).isEqualTo(415);
            assertThat(response.body()).isEqualTo("Invalid content type");
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
        }
        assertThat(api.send("DELETE", APP + "/operation", token, null, null).statusCode()).isEqualTo(415);
        assertThat(app.operationsStarted()).isZero();
    }

    @Test
    void missingAndForbiddenAppsAre403WithoutProjectAnd404WithIt() throws Exception {
        app.forbidden(true);
        for (String path : new String[] {APP, "/api/v1/applications/nope"}) {
            assertError(api.get(path, token), 403, 7, "permission denied");
        }
        assertError(api.get(APP + "?project=default", token), 404, 5, "applications.argoproj.io \"guestbook\" not found");
        assertError(api.get("/api/v1/applications/nope?project=default", token), 404, 5,
                "applications.argoproj.io \"nope\" not found");
    }

    @Test
    void appOfAnotherProjectIsNotFoundWithProject() throws Exception {
        assertError(api.get(APP + "?project=other", token), 404, 5, "applications.argoproj.io \"guestbook\" not found");
        assertThat(api.get(APP + "?project=default", token).statusCode()).isEqualTo(200);
    }

    @Test
    void appInAnotherNamespaceIsOnlyFoundWithItsAppNamespace() throws Exception {
        argo.createApp("team-a", "web", FakeArgoCd.DEFAULT_REPO_URL, "main");

        assertError(api.get("/api/v1/applications/web", token), 403, 7, "permission denied");
        assertThat(api.get("/api/v1/applications/web?appNamespace=team-a", token).statusCode()).isEqualTo(200);
    }

    @Test
    void severalProjectsAnswer400() throws Exception {
        HttpResponse<String> response = api.get(APP + "?project=a&project=b", token);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RawApi.body(response).path("code").asInt()).isEqualTo(3);
    }

    @Test
    void secondSyncWhileAnOperationRunsAnswersAnotherOperationInProgress() throws Exception {
        app.holdOperations().startOperation("alice");

        assertError(api.json("POST", APP + "/sync", token, "{}"), 400, 9, "another operation is already in progress");
    }

    @Test
    void syncDeniedByRbacNamesAppSubjectAndIssueTime() throws Exception {
        app.syncDenied(true);

        HttpResponse<String> response = api.json("POST", APP + "/sync", token, "{}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(RawApi.body(response).path("message").asText())
                .matches("permission denied: applications, sync, default/guestbook, sub: jenkins, iat: \\d{4}-.*Z");
    }

    @Test
    void syncWindowBlocksWith403() throws Exception {
        app.blockedBySyncWindow(true);

        assertError(api.json("POST", APP + "/sync", token, "{}"), 403, 7, "cannot sync: blocked by sync window");
    }

    @Test
    void deletingAppRejectsSyncWithFailedPrecondition() throws Exception {
        app.deleting();

        assertError(api.json("POST", APP + "/sync", token, "{}"), 400, 9, "application is deleting");
    }

    @Test
    void autoSyncAppRejectsAnotherRevisionWithFailedPrecondition() throws Exception {
        app.automated(true);

        assertError(api.json("POST", APP + "/sync", token, "{\"revision\":\"feature\"}"), 400, 9,
                "Cannot sync to feature: auto-sync currently set to main");
        assertThat(api.json("POST", APP + "/sync", token, "{\"revision\":\"main\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void unresolvableRevisionAnswersFailedPrecondition() throws Exception {
        assertError(api.json("POST", APP + "/sync", token, "{\"revision\":\"no-such-branch\"}"), 400, 9,
                "error resolving repo revision: unable to resolve 'no-such-branch' to a commit SHA");
    }

    @Test
    void syncChecksTheWindowThenRbacThenDeletionThenTheAutoSyncRevision() throws Exception {
        app.automated(true).deleting();
        app.syncDenied(true).blockedBySyncWindow(true);
        String otherRevision = "{\"revision\":\"feature\"}";

        assertError(api.json("POST", APP + "/sync", token, otherRevision), 403, 7, "cannot sync: blocked by sync window");
        app.blockedBySyncWindow(false);
        assertThat(RawApi.body(api.json("POST", APP + "/sync", token, otherRevision)).path("message").asText())
                .startsWith("permission denied: applications, sync, default/guestbook");
        app.syncDenied(false);
        assertError(api.json("POST", APP + "/sync", token, otherRevision), 400, 9, "application is deleting");
    }

    @Test
    void multiSourceAutoSyncAppRejectsAnotherRevisionNamingTheSource() throws Exception {
        app.multiSource("main", "main").automated(true);

        assertError(api.json("POST", APP + "/sync", token, "{\"revisions\":[\"feature\"],\"sourcePositions\":[2]}"),
                400, 9, "Cannot sync source " + FakeArgoCd.DEFAULT_REPO_URL + " to feature: auto-sync currently set to main");
        assertThat(api.json("POST", APP + "/sync", token, "{\"revisions\":[\"main\"],\"sourcePositions\":[2]}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void multiSourceRevisionsWithoutPositionsAreIgnored() throws Exception {
        app.multiSource("main", "main");

        HttpResponse<String> response = api.json("POST", APP + "/sync", token, "{\"revisions\":[\"no-such-branch\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RawApi.body(response).path("operation").path("sync").path("revisions"))
                .extracting(JsonNode::asText).containsExactly(SHA, SHA);
    }

    @Test
    void multiSourcePositionOutOfRangeIsAnUnknownError() throws Exception {
        app.multiSource("main", "main");

        assertError(api.json("POST", APP + "/sync", token, "{\"revisions\":[\"main\"],\"sourcePositions\":[3]}"),
                500, 2, "source position is out of range");
    }

    @Test
    void refreshTheControllerNeverAnswersEndsWithRefreshDeadlineExceeded() throws Exception {
        try (FakeArgoCd stalled = FakeArgoCd.builder().pausedController().refreshDeadline(Duration.ofMillis(200)).start()) {
            stalled.setRevision("main", SHA).createApp("guestbook");

            HttpResponse<String> response = new RawApi(stalled).get(APP + "?refresh=normal",
                    stalled.issueToken(FakeArgoCd.USERNAME));

            assertError(response, 500, 2, "application refresh deadline exceeded");
            assertThat(stalled.controller().heldSteps()).as("the refresh was requested, never reconciled").isPositive();
        }
    }

    @Test
    void terminateWithNothingRunningAnswers400Code3() throws Exception {
        assertError(api.json("DELETE", APP + "/operation", token, null), 400, 3,
                "Unable to terminate operation. No operation is in progress");
    }

    @Test
    void terminateOfASyncTheControllerHasNotStartedAnswers400Code3() throws Exception {
        app.holdOperationStarts().holdOperations();
        assertThat(api.json("POST", APP + "/sync", token, "{}").statusCode()).isEqualTo(200);

        assertError(api.json("DELETE", APP + "/operation", token, null), 400, 3,
                "Unable to terminate operation. No operation is in progress");
        assertThat(app.json().has("operation")).as("the operation is still requested").isTrue();

        app.startHeldOperation();
        app.await(json -> json.path("status").has("operationState"), Duration.ofSeconds(30));
        assertThat(api.json("DELETE", APP + "/operation", token, null).statusCode()).isEqualTo(200);
    }

    @Test
    void terminateEndsTheOperationFailedOperationTerminated() throws Exception {
        app.holdOperations().startOperation("alice");
        app.await(json -> "Running".equals(json.path("status").path("operationState").path("phase").asText()),
                Duration.ofSeconds(30));

        HttpResponse<String> response = api.json("DELETE", APP + "/operation", token, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{}");
        JsonNode done = app.await(json -> "Failed".equals(json.path("status").path("operationState").path("phase").asText()),
                Duration.ofSeconds(30));
        assertThat(done.path("status").path("operationState").path("message").asText()).isEqualTo("Operation terminated");
        assertThat(done.has("operation")).isFalse();
    }

    @Test
    void burstOf5xxThenNormalAnswers() throws Exception {
        argo.faults().failNext(2, 503, "connection refused");

        assertError(api.get(APP, token), 503, 14, "connection refused");
        assertError(api.get(APP, token), 503, 14, "connection refused");
        assertThat(api.get(APP, token).statusCode()).isEqualTo(200);
    }

    @Test
    void faultsCanTargetOneEndpoint() throws Exception {
        argo.faults().failRequests("POST", ".*/sync", 1, 500, "rpc error");

        assertThat(api.get(APP, token).statusCode()).isEqualTo(200);
        assertError(api.json("POST", APP + "/sync", token, "{}"), 500, 13, "rpc error");
        assertThat(api.json("POST", APP + "/sync", token, "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void rejectionsCarryTheGrpcCodeAndItsHttpStatus() throws Exception {
        argo.faults().rejectRequests("POST", ".*/sync", 1, 9, "another operation is already in progress");

        assertError(api.json("POST", APP + "/sync", token, "{}"), 400, 9, "another operation is already in progress");
        assertThat(app.operationsStarted()).isZero();
    }

    @Test
    void proxyErrorsAreHtml() throws Exception {
        argo.faults().proxyErrors(1, 502);

        HttpResponse<String> response = api.get(APP, token);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(response.body()).contains("502 Bad Gateway");
    }

    @Test
    void unknownPathsAnswer404NotFound() throws Exception {
        assertError(api.get("/api/v1/nothing", token), 404, 5, "Not Found");
    }

    @Test
    void wronglyTypedRequestFieldIsRejectedAndRecordedAsViolation() throws Exception {
        SharedData.require(SwaggerContract.SHARED_PATH); // the violation is found by validating against the upstream swagger.json
        argo.expectContractViolations();

        HttpResponse<String> response = api.json("POST", APP + "/sync", token, "{\"prune\":\"yes\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(argo.contractViolations()).singleElement()
                .satisfies(v -> assertThat(v.pointer()).isEqualTo("/prune"));
        assertThat(app.operationsStarted()).isZero();
    }

    @Test
    void unknownRequestFieldIsIgnoredLikeGoButFailsTheTestAtClose() throws Exception {
        SharedData.require(SwaggerContract.SHARED_PATH); // the violation is found by validating against the upstream swagger.json
        FakeArgoCd strict = FakeArgoCd.start().setRevision("main", SHA);
        strict.createApp("guestbook");
        RawApi strictApi = new RawApi(strict);

        HttpResponse<String> response = strictApi.json("POST", APP + "/sync", strict.issueToken("jenkins"),
                "{\"revison\":\"main\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        AssertionErrorCatcher.assertThrowsContaining(strict::close, "unknown property 'revison'");
    }

    @Test
    void recordsRequestsWithCredentialsRedacted() throws Exception {
        api.json("POST", APP + "/sync", token, "{\"prune\":true}");

        RecordedRequest sync = argo.requests("POST", APP + "/sync").get(0);
        assertThat(sync.header("Authorization")).isEqualTo("Bearer <redacted>");
        assertThat(sync.header("content-type")).isEqualTo("application/json");
        assertThat(sync.bodyJson().path("prune").asBoolean()).isTrue();
        assertThat(argo.requests().toString()).doesNotContain(token);
    }
}
