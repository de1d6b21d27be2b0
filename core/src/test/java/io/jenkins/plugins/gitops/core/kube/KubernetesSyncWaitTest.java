package io.jenkins.plugins.gitops.core.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ResourceProblem;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.core.argocd.SyncResult.Outcome;
import io.jenkins.plugins.gitops.core.argocd.SyncWaiter;
import io.jenkins.plugins.gitops.core.argocd.WaitRequest;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationControllerSimulator;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationControllerSimulator.Run;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared {@link SyncWaiter} driving an Application custom resource, with a simulated controller. */
class KubernetesSyncWaitTest {

    /** The commit {@code main} resolves to after the push. */
    private static final String NEW_SHA = "4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c8b1e0c";
    /** The commit the example app is Synced and Healthy at, with a finished operation. */
    private static final String OLD_SHA = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";
    /** Generous: only a broken wait gets near it, it never decides a pass. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ApplicationRef guestbook = ApplicationRef.of("guestbook");
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private ApplicationCrServer server;
    private KubernetesClient controllerClient;
    private KubernetesClient jenkinsClient;
    private ApplicationControllerSimulator controller;
    private ExecutorService calls;
    private ScheduledExecutorService scheduler;
    private SyncWaiter waiter;

    @BeforeEach
    void start() {
        server = ApplicationCrServer.start();
        controllerClient = server.newClient();
        jenkinsClient = server.newClient();
        controller = ApplicationControllerSimulator.start(server, controllerClient).resolving("main", NEW_SHA);
        calls = Executors.newFixedThreadPool(2);
        scheduler = Executors.newScheduledThreadPool(2);
        waiter = new SyncWaiter(new KubernetesApplicationBackend(jenkinsClient, null, null, calls), scheduler);
    }

    @AfterEach
    void stop() {
        assertThat(server.rejectedWrites()).as("writes the API server would reject").isEmpty();
        assertThat(controller.failures()).as("simulated controller failures").isEmpty();
        controller.close();
        scheduler.shutdownNow();
        calls.shutdownNow();
        jenkinsClient.close();
        controllerClient.close();
        server.close();
    }

    @Test
    void syncsAndWaitsUntilSyncedAndHealthyAtThePushedCommit() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));

        SyncResult result = waitFor(WaitRequest.of(guestbook, TIMEOUT).withExpectedRevision(NEW_SHA));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SYNCED);
        assertThat(result.revision()).isEqualTo(NEW_SHA);
        assertThat(controller.finishedRuns()).singleElement().satisfies(run -> {
            assertThat(run.phase()).isEqualTo("Succeeded");
            assertThat(run.operation().path("initiatedBy").path("username").asText()).isEqualTo("jenkins");
            assertThat(markers(run)).hasSize(1);
        });
        ObjectNode stored = server.read("guestbook");
        assertThat(stored.path("operation").isObject()).isFalse();
        assertThat(stored.path("status").path("health").path("status").asText()).isEqualTo("Healthy");
        assertThat(progress).isNotEmpty();
    }

    @Test
    void alreadyDeployedCommitReturnsAtOnceWithoutSyncing() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));

        SyncResult result = waitFor(WaitRequest.of(guestbook, TIMEOUT).withExpectedRevision(OLD_SHA));

        assertThat(result.outcome()).isEqualTo(Outcome.SYNCED);
        assertThat(result.message()).startsWith("already synced");
        assertThat(server.requests()).noneMatch(r -> r.method().equals("PATCH") && r.body().contains("\"operation\""));
        assertThat(controller.finishedRuns()).isEmpty();
    }

    @Test
    void oldSucceededOperationDoesNotCountForTheNewCommit() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
        controller.holdOperations();

        CompletableFuture<SyncResult> wait = waiter.start(WaitRequest.of(guestbook, TIMEOUT).withExpectedRevision(NEW_SHA), progress::add);
        awaitUntil(() -> controller.runningOperations().contains("guestbook"), "our operation to be Running");

        assertThat(wait).as("the app is Synced and Healthy, but at the old commit by an old operation").isNotDone();
        controller.releaseOperations();
        SyncResult result = wait.join();
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SYNCED);
        assertThat(result.revision()).isEqualTo(NEW_SHA);
    }

    @Test
    void operationAlreadyInProgressIsAwaitedThenOurSyncRuns() {
        controller.holdOperations();
        ObjectNode app = ApplicationCrServer.exampleApplication("guestbook");
        ObjectNode foreign = app.putObject("operation");
        foreign.putObject("initiatedBy").put("username", "alice");
        foreign.putObject("sync").put("revision", OLD_SHA);
        ObjectNode state = (ObjectNode) app.get("status").get("operationState");
        state.set("operation", foreign.deepCopy());
        state.put("phase", "Running").put("startedAt", "2026-11-22T09:00:00Z").remove("finishedAt");
        server.create(app);
        awaitUntil(() -> controller.runningOperations().contains("guestbook"), "alice's operation to be adopted");

        CompletableFuture<SyncResult> wait = waiter.start(WaitRequest.of(guestbook, TIMEOUT).withExpectedRevision(NEW_SHA), progress::add);
        awaitUntil(() -> progress.stream().anyMatch(l -> l.contains("another operation is in progress")),
                "the waiter to notice alice's operation");
        assertThat(server.read("guestbook").path("operation").path("initiatedBy").path("username").asText())
                .as("alice's operation is not overwritten").isEqualTo("alice");
        controller.releaseOperations();

        SyncResult result = wait.join();
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SYNCED);
        assertThat(result.revision()).isEqualTo(NEW_SHA);
        assertThat(controller.finishedRuns()).extracting(r -> r.operation().path("initiatedBy").path("username").asText())
                .containsExactly("alice", "jenkins");
    }

    @Test
    void failedOperationFailsNamingTheResource() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
        controller.outcome(ApplicationControllerSimulator.Outcome.FAILED);

        SyncResult result = waitFor(WaitRequest.of(guestbook, TIMEOUT).withExpectedRevision(NEW_SHA));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.message()).contains("sync operation Failed").contains("one or more objects failed to apply");
        assertThat(result.problems()).extracting(ResourceProblem::toString)
                .anyMatch(p -> p.startsWith("Deployment/guestbook/guestbook-ui: SyncFailed"));
    }

    @Test
    void degradedApplicationFailsNamingTheResource() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
        controller.settlingAt("Degraded");

        SyncResult result = waitFor(WaitRequest.of(guestbook, TIMEOUT).withExpectedRevision(NEW_SHA));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.message()).contains("Degraded");
        assertThat(result.problems()).extracting(ResourceProblem::toString)
                .contains("Deployment/guestbook/guestbook-ui: Degraded: Deployment \"guestbook-ui\" exceeded its progress deadline");
    }

    @Test
    void timeoutTerminatesOurRunningOperation() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
        controller.holdOperations();

        SyncResult result = waitFor(WaitRequest.of(guestbook, Duration.ofSeconds(3)).withExpectedRevision(NEW_SHA)
                .withTerminateOnTimeout(true));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.operationTerminated()).as(result.message()).isTrue();
        awaitUntil(() -> !controller.finishedRuns().isEmpty(), "the controller to end the terminated operation");
        Run run = controller.finishedRuns().get(0);
        assertThat(run.phase()).isEqualTo("Failed");
        assertThat(server.read("guestbook").path("status").path("operationState").path("message").asText())
                .isEqualTo("Operation terminated");
    }

    @Test
    void droppedWatchIsResumed() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
        controller.holdOperations();
        CompletableFuture<SyncResult> wait = waiter.start(WaitRequest.of(guestbook, TIMEOUT).withExpectedRevision(NEW_SHA), progress::add);
        awaitUntil(() -> controller.runningOperations().contains("guestbook") && server.openWatchesOf("guestbook") > 0,
                "our operation to run while the waiter watches");

        server.dropWatches();
        controller.releaseOperations();

        SyncResult result = wait.join();
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SYNCED);
        assertThat(result.revision()).isEqualTo(NEW_SHA);
        assertThat(appWatches()).as("the dropped watch and its resumption").isGreaterThanOrEqualTo(2);
    }

    @Test
    void expiredWatchIsResumedByReadingTheApplicationAgain() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
        server.expireNextWatches(2);

        SyncResult result = waitFor(WaitRequest.of(guestbook, TIMEOUT).withExpectedRevision(NEW_SHA));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SYNCED);
        assertThat(appWatches()).as("watches opened, at least one of them expired").isGreaterThanOrEqualTo(2);
    }

    private SyncResult waitFor(WaitRequest request) {
        return waiter.start(request, progress::add).join();
    }

    /** Watches of the single Application (the simulated controller watches the whole namespace). */
    private long appWatches() {
        return server.requests().stream()
                .filter(r -> r.path().contains("watch=true") && r.path().contains("metadata.name"))
                .count();
    }

    private static List<JsonNode> markers(Run run) {
        List<JsonNode> found = new CopyOnWriteArrayList<>();
        run.operation().path("info").forEach(info -> {
            if (info.path("name").asText().equals(SyncWaiter.MARKER_NAME)) {
                found.add(info);
            }
        });
        return found;
    }

    /** Bounded wait for something another thread does; the bound only stops a broken test from hanging. */
    private static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
