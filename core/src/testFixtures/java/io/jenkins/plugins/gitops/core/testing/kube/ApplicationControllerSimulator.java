package io.jenkins.plugins.gitops.core.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Argo CD application controller against an {@link ApplicationCrServer}, following CONTRACT.md
 * section 8: when an Application gets an {@code operation}, it writes {@code status.operationState}
 * {@code {phase: Running, startedAt}}; at the end it sets {@code finishedAt} and the final phase and removes
 * {@code .operation} in the same update; then it reconciles ({@code reconciledAt >= finishedAt}, sync status)
 * with health Progressing, and finally the configured health. Setting {@code status.operationState.phase} to
 * {@code Terminating} ends the running operation as Failed {@code Operation terminated}.
 *
 * <p>Every step is one write, made on one thread, in order; {@link #holdOperations()} keeps operations in
 * Running until {@link #releaseOperations()}, so a test decides when an operation ends rather than a timer.
 * Timestamps have second precision, as Argo CD writes them.
 */
public final class ApplicationControllerSimulator implements AutoCloseable {

    /** How the next operations end. */
    public enum Outcome { SUCCEEDED, FAILED, ERROR }

    /** An operation the simulator ran: what was asked and how it ended (null while running). */
    public record Run(String application, JsonNode operation, String phase) {}

    private final ApplicationCrServer server;
    private final Watch watch;
    private final ExecutorService steps = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "application-controller-simulator");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> revisions = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> running = new ConcurrentHashMap<>();
    private final List<Run> finished = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private volatile Outcome outcome = Outcome.SUCCEEDED;
    private volatile String finalHealth = "Healthy";
    private volatile boolean holding;

    private ApplicationControllerSimulator(ApplicationCrServer server, KubernetesClient client, Clock clock) {
        this.server = server;
        this.clock = clock;
        this.watch = client.genericKubernetesResources(ApplicationCrServer.APPLICATIONS)
                .inNamespace(ApplicationCrServer.NAMESPACE)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource resource) {
                        if (action != Action.DELETED) {
                            String name = resource.getMetadata().getName();
                            steps.execute(() -> react(name));
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        if (cause != null) {
                            failures.add(cause);
                        }
                    }
                });
    }

    /** Starts simulating against {@code server}, watching with {@code client} (closed by the caller). */
    public static ApplicationControllerSimulator start(ApplicationCrServer server, KubernetesClient client) {
        return new ApplicationControllerSimulator(server, client, Clock.systemUTC());
    }

    /** Git revisions the simulated repo server resolves ({@code main} -> SHA); a 40-hex revision resolves to itself. */
    public ApplicationControllerSimulator resolving(String revision, String sha) {
        revisions.put(revision, sha);
        return this;
    }

    public ApplicationControllerSimulator outcome(Outcome next) {
        outcome = next;
        return this;
    }

    /** The health the app settles at after Progressing: Healthy, Degraded, Suspended, ... */
    public ApplicationControllerSimulator settlingAt(String health) {
        finalHealth = health;
        return this;
    }

    /** Operations started from now on stay Running until {@link #releaseOperations()} or a terminate. */
    public ApplicationControllerSimulator holdOperations() {
        holding = true;
        return this;
    }

    public void releaseOperations() {
        holding = false;
        steps.execute(() -> running.keySet().forEach(this::finish));
    }

    /** Operations the simulator has finished, oldest first. */
    public List<Run> finishedRuns() {
        return List.copyOf(finished);
    }

    /** Names of the applications whose operation is Running now. */
    public java.util.Set<String> runningOperations() {
        return java.util.Set.copyOf(running.keySet());
    }

    /** Exceptions the simulator hit (a test should assert there are none). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void react(String name) {
        try {
            ObjectNode app = server.read(name);
            JsonNode operation = app.path("operation");
            String phase = app.path("status").path("operationState").path("phase").asText("");
            if (running.containsKey(name)) {
                if (phase.equals("Terminating")) {
                    end(name, "Failed", "Operation terminated");
                }
                return;
            }
            if (operation.isObject()) {
                begin(name, operation.deepCopy(), phase.equals("Running"));
            }
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private void begin(String name, JsonNode operation, boolean alreadyRunning) {
        running.put(name, operation);
        if (!alreadyRunning) {
            server.update(name, app -> {
                ObjectNode state = status(app).putObject("operationState");
                state.set("operation", operation);
                state.put("phase", "Running");
                state.put("message", "one or more tasks are running");
                state.put("startedAt", now());
            });
        }
        if (!holding) {
            finish(name);
        }
    }

    private void finish(String name) {
        switch (outcome) {
            case SUCCEEDED -> end(name, "Succeeded", "successfully synced (all tasks run)");
            case FAILED -> end(name, "Failed", "one or more objects failed to apply, reason: Deployment.apps \"guestbook-ui\" is invalid: spec.template.spec.containers[0].image: Required value");
            case ERROR -> end(name, "Error", "ComparisonError: failed to generate manifest: kustomize build failed");
        }
    }

    private void end(String name, String phase, String message) {
        JsonNode operation = running.remove(name);
        if (operation == null) {
            return;
        }
        String revision = resolve(server.read(name), operation);
        String finishedAt = now();
        server.update(name, app -> {
            app.remove("operation");
            ObjectNode state = status(app).putObject("operationState");
            state.set("operation", operation);
            state.put("phase", phase);
            state.put("message", message);
            state.put("startedAt", startedAt(app, finishedAt));
            state.put("finishedAt", finishedAt);
            ObjectNode result = state.putObject("syncResult");
            result.put("revision", revision);
            ArrayNode resources = result.putArray("resources");
            resources.addObject().put("group", "apps").put("version", "v1").put("kind", "Deployment")
                    .put("namespace", "guestbook").put("name", "guestbook-ui")
                    .put("status", phase.equals("Succeeded") ? "Synced" : "SyncFailed")
                    .put("message", phase.equals("Succeeded") ? "deployment.apps/guestbook-ui configured" : message)
                    .put("hookPhase", phase.equals("Succeeded") ? "Running" : "Failed").put("syncPhase", "Sync");
        });
        finished.add(new Run(name, operation, phase));
        if (!phase.equals("Succeeded")) {
            return;
        }
        server.update(name, app -> {
            ObjectNode status = status(app);
            status.put("reconciledAt", now());
            ObjectNode sync = status.putObject("sync");
            sync.put("status", "Synced");
            sync.put("revision", revision);
            status.putObject("health").put("status", "Progressing")
                    .put("message", "Waiting for rollout to finish: 1 old replicas are pending termination...");
            setResourceHealth(status, "Progressing", "Waiting for rollout to finish");
        });
        server.update(name, app -> {
            ObjectNode status = status(app);
            status.put("reconciledAt", now());
            status.putObject("health").put("status", finalHealth);
            setResourceHealth(status, finalHealth, finalHealth.equals("Degraded")
                    ? "Deployment \"guestbook-ui\" exceeded its progress deadline" : null);
        });
    }

    private static void setResourceHealth(ObjectNode status, String health, String message) {
        for (JsonNode resource : status.path("resources")) {
            if (resource.path("kind").asText().equals("Deployment") && resource instanceof ObjectNode object) {
                ObjectNode node = object.putObject("health").put("status", health);
                if (message != null) {
                    node.put("message", message);
                }
            }
        }
    }

    private String resolve(ObjectNode app, JsonNode operation) {
        String revision = operation.path("sync").path("revision").asText("");
        if (revision.isEmpty()) {
            revision = app.path("spec").path("source").path("targetRevision").asText("HEAD");
        }
        if (revision.matches("[0-9a-f]{40}")) {
            return revision;
        }
        String sha = revisions.get(revision);
        if (sha == null) {
            throw new IllegalStateException("the simulator cannot resolve revision " + revision + "; call resolving()");
        }
        return sha;
    }

    private static String startedAt(ObjectNode app, String fallback) {
        return app.path("status").path("operationState").path("startedAt").asText(fallback);
    }

    private static ObjectNode status(ObjectNode app) {
        JsonNode status = app.get("status");
        return status instanceof ObjectNode object ? object : app.putObject("status");
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        watch.close();
        steps.shutdownNow();
        try {
            steps.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
