package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated controller against a real git repository. */
class FakeArgoCdControllerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String APP = "/api/v1/applications/guestbook";

    @TempDir
    Path dir;

    private Git git;
    private FakeArgoCd argo;
    private RawApi api;
    private String token;

    @BeforeEach
    void start() throws Exception {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commit("v1");
        argo = FakeArgoCd.builder().gitRepository(dir.resolve(".git")).start();
        api = new RawApi(argo);
        token = argo.issueToken(FakeArgoCd.USERNAME);
    }

    @AfterEach
    void stop() {
        argo.close();
        git.close();
    }

    private String commit(String content) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "# " + content + "\n");
        git.add().addFilepattern(".").call();
        RevCommit commit = git.commit().setMessage(content).setAuthor("t", "t@example.org")
                .setCommitter("t", "t@example.org").setSign(false).call();
        return commit.name();
    }

    private static String text(JsonNode app, String... path) {
        JsonNode node = app;
        for (String field : path) {
            node = node.path(field);
        }
        return node.asText();
    }

    private static Predicate<JsonNode> phase(String phase) {
        return app -> phase.equals(text(app, "status", "operationState", "phase"));
    }

    private JsonNode syncedHealthy(FakeApplication app, String sha) throws InterruptedException {
        return app.await(json -> sha.equals(text(json, "status", "sync", "revision"))
                && "Synced".equals(text(json, "status", "sync", "status"))
                && "Healthy".equals(text(json, "status", "health", "status"))
                && phase("Succeeded").test(json), WAIT);
    }

    @Test
    void resolvesTheTargetBranchFromTheRepository() throws Exception {
        String head = git.getRepository().resolve("HEAD").name();
        FakeApplication app = argo.createApp("guestbook");

        assertThat(text(app.json(), "status", "sync", "revision")).isEqualTo(head);
        JsonNode synced = RawApi.body(api.json("POST", APP + "/sync", token, "{}"));
        assertThat(text(synced, "operation", "sync", "revision")).isEqualTo(head);
    }

    @Test
    void resolvesTagsAndHead() throws Exception {
        String tagged = git.getRepository().resolve("HEAD").name();
        git.tag().setName("v1.0.0").setAnnotated(true).setMessage("release").setSigned(false).call();
        commit("v2");
        argo.createApp("guestbook");

        assertThat(text(RawApi.body(api.json("POST", APP + "/sync", token, "{\"revision\":\"v1.0.0\"}")),
                "operation", "sync", "revision")).isEqualTo(tagged);
        argo.app("guestbook").await(json -> !json.has("operation"), WAIT);
        assertThat(text(RawApi.body(api.json("POST", APP + "/sync", token, "{\"revision\":\"HEAD\"}")),
                "operation", "sync", "revision")).isEqualTo(git.getRepository().resolve("HEAD").name());
    }

    @Test
    void appSetUpOnAnotherBranchIsSyncedAtThatBranch() throws Exception {
        git.branchCreate().setName("release").call();
        String main = commit("v2");
        String release = git.getRepository().resolve("refs/heads/release").name();

        FakeApplication app = argo.createApp("guestbook").targetRevision("release");

        assertThat(release).isNotEqualTo(main);
        assertThat(text(app.json(), "status", "sync", "revision")).isEqualTo(release);
        assertThat(text(app.json(), "status", "sync", "status")).isEqualTo("Synced");
        assertThat(text(app.targetRevision("no-such-branch").json(), "status", "sync", "status")).isEqualTo("Unknown");
    }

    @Test
    void refreshBlocksUntilReconciledAndSeesAPushedCommit() throws Exception {
        FakeApplication app = argo.createApp("guestbook").reconcileLag(Duration.ofMillis(50));
        String before = text(app.json(), "status", "reconciledAt");
        String pushed = commit("v2");

        JsonNode refreshed = RawApi.body(api.get(APP + "?refresh=normal", token));

        assertThat(text(refreshed, "status", "sync", "revision")).isEqualTo(pushed);
        assertThat(text(refreshed, "status", "sync", "status")).isEqualTo("OutOfSync");
        assertThat(Instant.parse(text(refreshed, "status", "reconciledAt"))).isAfterOrEqualTo(Instant.parse(before));
        assertThat(refreshed.path("metadata").path("annotations").has("argocd.argoproj.io/refresh")).isFalse();
        assertThat(refreshed.has("operation")).isFalse();
    }

    @Test
    void syncDeploysThePushedCommit() throws Exception {
        FakeApplication app = argo.createApp("guestbook");
        String pushed = commit("v2");

        api.json("POST", APP + "/sync", token, "{\"revision\":\"main\"}");

        JsonNode done = syncedHealthy(app, pushed);
        assertThat(text(done, "status", "operationState", "syncResult", "revision")).isEqualTo(pushed);
    }

    @Test
    void autoSyncAppDeploysANewCommitAfterARefresh() throws Exception {
        FakeApplication app = argo.createApp("guestbook").automated(true);
        String pushed = commit("v2");

        JsonNode refreshed = RawApi.body(api.get(APP + "?refresh=hard", token));

        assertThat(refreshed.path("operation").path("initiatedBy").path("automated").asBoolean()).isTrue();
        assertThat(text(refreshed, "operation", "sync", "revision")).isEqualTo(pushed);
        syncedHealthy(app, pushed);
        assertThat(app.operationsStarted()).isEqualTo(1);
    }

    @Test
    void failedSyncNamesTheResourceAndLeavesTheAppOutOfSync() throws Exception {
        FakeApplication app = argo.createApp("guestbook").nextSyncFails("one or more objects failed to apply");
        commit("v2");
        api.get(APP + "?refresh=normal", token);

        api.json("POST", APP + "/sync", token, "{}");

        JsonNode done = app.await(json -> phase("Failed").test(json) && !json.has("operation"), WAIT);
        JsonNode state = done.path("status").path("operationState");
        assertThat(text(state, "message")).isEqualTo("one or more objects failed to apply");
        assertThat(state.path("syncResult").path("resources")).anySatisfy(r -> {
            assertThat(text(r, "kind")).isEqualTo("Deployment");
            assertThat(text(r, "status")).isEqualTo("SyncFailed");
        });
        assertThat(text(done, "status", "sync", "status")).isEqualTo("OutOfSync");
    }

    @Test
    void errorPhaseIsTerminalToo() throws Exception {
        FakeApplication app = argo.createApp("guestbook").nextSyncErrors("rpc error: code = Unknown");

        api.json("POST", APP + "/sync", token, "{}");

        JsonNode done = app.await(phase("Error"), WAIT);
        assertThat(text(done, "status", "operationState", "message")).isEqualTo("rpc error: code = Unknown");
        assertThat(done.path("status").path("operationState").has("finishedAt")).isTrue();
    }

    @Test
    void degradedAfterSyncCarriesTheResourceMessage() throws Exception {
        FakeApplication app = argo.createApp("guestbook").degradedAfterSync("Deployment exceeded its progress deadline");

        api.json("POST", APP + "/sync", token, "{}");

        JsonNode done = app.await(json -> "Degraded".equals(text(json, "status", "health", "status")), WAIT);
        assertThat(done.path("status").path("resources")).anySatisfy(r -> {
            assertThat(text(r, "kind")).isEqualTo("Deployment");
            assertThat(text(r, "health", "message")).isEqualTo("Deployment exceeded its progress deadline");
        });
    }

    @Test
    void pausedControllerShowsEveryStepInOrder() throws Exception {
        FakeApplication app = argo.createApp("guestbook").preSyncHook("db-migrate").reconcileLag(Duration.ZERO);
        argo.controller().pause();
        String pushed = commit("v2");

        JsonNode accepted = RawApi.body(api.json("POST", APP + "/sync", token, "{\"revision\":\"main\"}"));
        assertThat(accepted.path("status").has("operationState")).isFalse();
        assertThat(argo.controller().heldSteps()).isEqualTo(1);

        assertThat(argo.controller().step()).isTrue();
        JsonNode running = app.json();
        assertThat(text(running, "status", "operationState", "phase")).isEqualTo("Running");
        assertThat(text(running, "status", "operationState", "message"))
                .isEqualTo("waiting for completion of hook batch/Job/db-migrate");
        assertThat(running.path("status").path("operationState").path("syncResult").path("resources").get(0).path("hookType").asText())
                .isEqualTo("PreSync");

        argo.controller().step();
        assertThat(text(app.json(), "status", "health", "status")).isEqualTo("Progressing");

        argo.controller().step();
        JsonNode finished = app.json();
        assertThat(text(finished, "status", "operationState", "phase")).isEqualTo("Succeeded");
        assertThat(finished.has("operation")).isFalse();
        Instant finishedAt = Instant.parse(text(finished, "status", "operationState", "finishedAt"));
        assertThat(Instant.parse(text(finished, "status", "reconciledAt"))).as("slow reconcile").isBeforeOrEqualTo(finishedAt);

        argo.controller().step();
        assertThat(Instant.parse(text(app.json(), "status", "reconciledAt"))).isAfterOrEqualTo(finishedAt);
        assertThat(text(app.json(), "status", "health", "status")).isEqualTo("Progressing");

        argo.controller().step();
        assertThat(text(app.json(), "status", "health", "status")).isEqualTo("Healthy");
        assertThat(text(app.json(), "status", "sync", "revision")).isEqualTo(pushed);
        assertThat(argo.controller().step()).isFalse();
    }

    @Test
    void failedAttemptIsRetriedWithinTheRetryLimit() throws Exception {
        FakeApplication app = argo.createApp("guestbook").nextSyncFails("one or more objects failed to apply");
        argo.controller().pause();
        api.json("POST", APP + "/sync", token, "{\"retryStrategy\":{\"limit\":1,\"backoff\":{\"duration\":\"5s\"}}}");

        argo.controller().step();
        argo.controller().step();
        argo.controller().step();

        JsonNode retrying = app.json().path("status").path("operationState");
        assertThat(text(retrying, "phase")).isEqualTo("Running");
        assertThat(text(retrying, "message"))
                .matches("one or more objects failed to apply\\. Retrying attempt #1 at \\d{1,2}:\\d{2}[AP]M\\.");
        assertThat(retrying.path("retryCount").asInt()).isEqualTo(1);

        argo.controller().runUntilIdle();

        JsonNode done = app.json().path("status").path("operationState");
        assertThat(text(done, "phase")).isEqualTo("Succeeded");
        assertThat(done.path("retryCount").asInt()).isEqualTo(1);
    }

    @Test
    void syncWithoutPruneLeavesAnExtraneousResourceAndTheAppOutOfSync() throws Exception {
        FakeApplication app = argo.createApp("guestbook").requiresPruning(ManagedResource.service("legacy"));

        api.json("POST", APP + "/sync", token, "{}");

        JsonNode done = app.await(json -> phase("Succeeded").test(json) && !json.has("operation"), WAIT);
        assertThat(done.path("status").path("operationState").path("syncResult").path("resources"))
                .anySatisfy(r -> {
                    assertThat(text(r, "name")).isEqualTo("legacy");
                    assertThat(text(r, "status")).isEqualTo("PruneSkipped");
                });
        assertThat(text(done, "status", "sync", "status")).isEqualTo("OutOfSync");
    }

    @Test
    void syncWithPruneDeletesTheExtraneousResource() throws Exception {
        FakeApplication app = argo.createApp("guestbook").requiresPruning(ManagedResource.service("legacy"));

        api.json("POST", APP + "/sync", token, "{\"prune\":true}");

        JsonNode done = syncedHealthy(app, git.getRepository().resolve("HEAD").name());
        assertThat(done.path("status").path("resources")).noneSatisfy(r -> assertThat(text(r, "name")).isEqualTo("legacy"));
        assertThat(done.path("status").path("operationState").path("syncResult").path("resources"))
                .anySatisfy(r -> assertThat(text(r, "status")).isEqualTo("Pruned"));
    }

    @Test
    void multiSourceAppCarriesOneRevisionPerSource() throws Exception {
        String tagged = git.getRepository().resolve("HEAD").name();
        git.tag().setName("v1.0.0").setAnnotated(false).setSigned(false).call();
        String main = commit("v2");
        FakeApplication app = argo.createApp("guestbook").multiSource("main", "v1.0.0");
        assertThat(app.json().path("status").path("sync").path("revisions"))
                .extracting(JsonNode::asText).containsExactly(main, tagged);

        JsonNode accepted = RawApi.body(api.json("POST", APP + "/sync", token,
                "{\"revisions\":[\"v1.0.0\"],\"sourcePositions\":[1]}"));

        assertThat(accepted.path("operation").path("sync").path("revisions"))
                .extracting(JsonNode::asText).containsExactly(tagged, tagged);
        assertThat(accepted.path("operation").path("sync").path("sources")).hasSize(2);
        JsonNode done = app.await(json -> phase("Succeeded").test(json)
                && "Healthy".equals(text(json, "status", "health", "status")), WAIT);
        assertThat(done.path("status").path("operationState").path("syncResult").path("revisions"))
                .extracting(JsonNode::asText).containsExactly(tagged, tagged);
        assertThat(done.path("status").path("history").path(0).path("revisions")).hasSize(2);
    }

    @Test
    void heldOperationRunsOnWhenReleased() throws Exception {
        FakeApplication app = argo.createApp("guestbook").holdOperations().startOperation("alice");
        app.await(phase("Running"), WAIT);
        assertThat(text(app.json(), "operation", "initiatedBy", "username")).isEqualTo("alice");

        app.releaseOperation();

        app.await(phase("Succeeded"), WAIT);
    }

    @Test
    void specUpdateReplacesTheWholeSpecAndIsValidated() throws Exception {
        FakeApplication app = argo.createApp("guestbook");
        JsonNode spec = app.json().path("spec").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.path("source")).putObject("kustomize")
                .putArray("images").add("ghcr.io/example-org/guestbook:1.4.3");

        JsonNode answered = RawApi.body(api.json("PUT", APP + "/spec?validate=true", token, spec.toString()));

        assertThat(answered).isEqualTo(spec);
        assertThat(app.json().path("spec")).isEqualTo(spec);
        assertThat(app.json().path("metadata").path("generation").asInt()).isEqualTo(2);

        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.path("source")).put("targetRevision", "nope");
        JsonNode error = RawApi.body(api.json("PUT", APP + "/spec?validate=true", token, spec.toString()));
        assertThat(text(error, "message")).startsWith("application spec for guestbook is invalid: ");
    }

    @Test
    void patchMergesOrAppliesJsonPatchOperations() throws Exception {
        FakeApplication app = argo.createApp("guestbook");

        api.json("PATCH", APP, token, "{\"patchType\":\"merge\",\"patch\":"
                + RawApi.JSON.getNodeFactory().textNode("{\"spec\":{\"source\":{\"kustomize\":{\"images\":[\"web:2\"]}}}}") + "}");
        assertThat(app.json().path("spec").path("source").path("kustomize").path("images").get(0).asText()).isEqualTo("web:2");

        JsonNode patched = RawApi.body(api.json("PATCH", APP, token, "{\"patchType\":\"json\",\"patch\":"
                + RawApi.JSON.getNodeFactory().textNode("[{\"op\":\"replace\",\"path\":\"/spec/source/kustomize/images/0\",\"value\":\"web:3\"}]") + "}"));
        assertThat(patched.path("spec").path("source").path("kustomize").path("images").get(0).asText()).isEqualTo("web:3");
    }

    @Test
    void resourceTreeAndManagedResourcesListTheManagedResources() throws Exception {
        argo.createApp("guestbook").resources(ManagedResource.deployment("web"), ManagedResource.service("web"));

        JsonNode tree = RawApi.body(api.get(APP + "/resource-tree", token));
        JsonNode managed = RawApi.body(api.get(APP + "/managed-resources", token));

        assertThat(tree.path("nodes")).extracting(n -> n.path("kind").asText()).containsExactly("Deployment", "Service");
        assertThat(managed.path("items")).extracting(n -> n.path("name").asText()).containsExactly("web", "web");
    }
}
