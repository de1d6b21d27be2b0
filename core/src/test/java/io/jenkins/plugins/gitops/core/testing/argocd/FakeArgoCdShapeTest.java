package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fake's Application JSON has the fields, in the places, of the hand-checked examples. */
class FakeArgoCdShapeTest {

    private static final String SHA = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";

    @RegisterExtension
    final FakeArgoCdExtension argo = new FakeArgoCdExtension(FakeArgoCd.Builder::pausedController);

    private static JsonNode example(String name) throws Exception {
        return RawApi.JSON.readTree(Files.readString(SharedData.require("argocd/examples/" + name)));
    }

    /** Field paths, array elements collapsed to {@code []}. */
    private static Set<String> paths(JsonNode node) {
        Set<String> paths = new TreeSet<>();
        collect(node, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String prefix, Set<String> paths) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String path = prefix + "/" + field.getKey();
                paths.add(path);
                collect(field.getValue(), path, paths);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collect(element, prefix + "/[]", paths);
            }
        }
    }

    private FakeApplication app() {
        FakeArgoCd fake = argo.fake().setRevision("main", SHA);
        return fake.createApp("guestbook").path("apps/guestbook/overlays/prod")
                .kustomizeImages("ghcr.io/example-org/guestbook:1.4.3").syncOptions("CreateNamespace=true")
                .preSyncHook("guestbook-db-migrate");
    }

    private void sync() throws Exception {
        FakeArgoCd fake = argo.fake();
        new RawApi(fake).json("POST", "/api/v1/applications/guestbook/sync", fake.issueToken("jenkins"),
                "{\"strategy\":{\"hook\":{}}}");
    }

    @Test
    void midSyncAppHasTheFieldsOfTheExample() throws Exception {
        FakeApplication app = app();
        sync();
        argo.fake().controller().step();

        Set<String> missing = paths(example("app-mid-sync.json"));
        missing.removeAll(paths(app.json()));

        // the example app has a deployment history and image summary from before, a fresh fake app has not;
        // a hook's images come from the hook's manifest, which the fake does not have
        assertThat(missing).allMatch(path -> path.startsWith("/status/history") || path.startsWith("/status/summary/")
                || path.equals("/status/operationState/syncResult/resources/[]/images"));
    }

    @Test
    void syncedAppHasTheFieldsOfTheExampleAndNoOthers() throws Exception {
        FakeApplication app = app();
        sync();
        argo.fake().controller().runUntilIdle();

        Set<String> expected = paths(example("app-synced-healthy.json"));
        Set<String> actual = paths(app.json());

        assertThat(actual).containsAll(expected);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        assertThat(extra).isEmpty();
    }
}
