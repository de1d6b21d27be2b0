package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SwaggerContractTest {

    private SwaggerContract contract;

    @BeforeEach
    void load() {
        contract = SwaggerContract.require();
    }

    private static JsonNode example(String name) throws Exception {
        return RawApi.JSON.readTree(Files.readString(SharedData.require("argocd/examples/" + name)));
    }

    private static JsonNode json(String text) throws Exception {
        return RawApi.JSON.readTree(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app-mid-sync.json", "app-synced-healthy.json", "app-sync-failed.json"})
    void acceptsTheExampleApplications(String file) throws Exception {
        assertThat(contract.validate("v1alpha1Application", example(file))).isEmpty();
    }

    @Test
    void acceptsTheExampleSyncRequest() throws Exception {
        assertThat(contract.validateRequestBody("POST", "/api/v1/applications/{name}/sync", example("sync-request.json")))
                .isEmpty();
    }

    @Test
    void acceptsEachLineOfTheExampleWatchStream() throws Exception {
        List<String> lines = Files.readAllLines(SharedData.require("argocd/examples/watch-stream.ndjson"));
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            assertThat(contract.validateResponse("GET", "/api/v1/stream/applications", 200, json(line))).isEmpty();
        }
    }

    @Test
    void rejectsAnUnknownProperty() throws Exception {
        List<ContractViolation> violations = contract.validate("applicationApplicationSyncRequest",
                json("{\"revison\":\"main\"}"));

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEmpty();
            assertThat(v.problem()).isEqualTo("unknown property 'revison'");
        });
    }

    @Test
    void rejectsAWronglyTypedFieldDeepInTheApplication() throws Exception {
        ObjectNode app = (ObjectNode) example("app-synced-healthy.json");
        ((ObjectNode) app.path("status").path("operationState")).put("retryCount", "1");

        assertThat(contract.validate("v1alpha1Application", app)).singleElement()
                .satisfies(v -> assertThat(v.pointer()).isEqualTo("/status/operationState/retryCount"));
    }

    @Test
    void acceptsTheFlatHookStrategyAndRejectsSwaggersNestedOne() throws Exception {
        String path = "/api/v1/applications/{name}/sync";
        assertThat(contract.validateRequestBody("POST", path, json("{\"strategy\":{\"hook\":{\"force\":true}}}"))).isEmpty();
        assertThat(contract.validateRequestBody("POST", path,
                json("{\"strategy\":{\"hook\":{\"syncStrategyApply\":{\"force\":true}}}}")))
                .singleElement().satisfies(v -> assertThat(v.problem()).contains("syncStrategyApply"));
    }

    @Test
    void wantsInt64AsJsonNumbersEvenWhereSwaggerSaysString() throws Exception {
        String path = "/api/v1/applications/{name}/sync";
        assertThat(contract.validateRequestBody("POST", path, json("{\"sourcePositions\":[1,2]}"))).isEmpty();
        assertThat(contract.validateRequestBody("POST", path, json("{\"sourcePositions\":[\"1\"]}")))
                .singleElement().satisfies(v -> assertThat(v.pointer()).isEqualTo("/sourcePositions/0"));
    }

    @Test
    void rejectsAMalformedTimestamp() throws Exception {
        ObjectNode app = (ObjectNode) example("app-synced-healthy.json");
        ((ObjectNode) app.path("status")).put("reconciledAt", "2026-08-20 14:04:20");

        assertThat(contract.validate("v1alpha1Application", app)).singleElement()
                .satisfies(v -> assertThat(v.problem()).contains("RFC 3339"));
    }

    @Test
    void rejectsNullsInResponsesButToleratesThemInRequests() throws Exception {
        assertThat(contract.validate("applicationApplicationSyncRequest", json("{\"revision\":null}"))).hasSize(1);
        assertThat(contract.validateRequestBody("POST", "/api/v1/applications/{name}/sync", json("{\"revision\":null}")))
                .isEmpty();
    }

    @Test
    void validatesErrorResponsesAgainstRuntimeError() throws Exception {
        String path = "/api/v1/applications/{name}";
        assertThat(contract.validateResponse("GET", path, 403,
                json("{\"error\":\"permission denied\",\"code\":7,\"message\":\"permission denied\"}"))).isEmpty();
        assertThat(contract.validateResponse("GET", path, 403, json("{\"error\":\"permission denied\",\"code\":\"7\"}")))
                .hasSize(1);
    }

    @Test
    void sharedCopyIsTheRequiredOne() {
        Path file = SharedData.require(SwaggerContract.SHARED_PATH);
        assertThat(Files.isRegularFile(file)).isTrue();
        assertThat(SwaggerContract.shared()).containsSame(contract);
    }
}
