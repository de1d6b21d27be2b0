package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CrdSchemaTest {

    private CrdSchema crd;

    @BeforeEach
    void load() {
        crd = CrdSchema.requireApplication();
    }

    private static ObjectNode example(String name) throws Exception {
        return (ObjectNode) RawApi.JSON.readTree(Files.readString(SharedData.require("argocd/examples/" + name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"app-mid-sync.json", "app-synced-healthy.json", "app-sync-failed.json"})
    void acceptsTheExampleApplications(String file) throws Exception {
        assertThat(crd.validate(example(file))).isEmpty();
    }

    @Test
    void rejectsAMissingRequiredField() throws Exception {
        ObjectNode app = example("app-synced-healthy.json");
        ((ObjectNode) app.path("spec")).remove("destination");

        assertThat(crd.validate(app)).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/spec");
            assertThat(v.problem()).isEqualTo("missing required field 'destination'");
        });
    }

    @Test
    void rejectsAnUnknownFieldAndAWrongType() throws Exception {
        ObjectNode app = example("app-synced-healthy.json");
        ((ObjectNode) app.path("spec").path("source")).put("targetRevison", "main");
        ((ObjectNode) app.path("status").path("operationState")).put("retryCount", "one");

        assertThat(crd.validate(app)).extracting(ContractViolation::problem)
                .containsExactlyInAnyOrder("unknown field 'targetRevison'", "expected an integer, got STRING");
    }

    @Test
    void acceptsTheFlatHookStrategyOfTheGoTypes() throws Exception {
        ObjectNode app = example("app-mid-sync.json");
        ((ObjectNode) app.path("operation").path("sync").path("syncStrategy").path("hook")).put("force", true);

        assertThat(crd.validate(app)).isEmpty();
    }
}
