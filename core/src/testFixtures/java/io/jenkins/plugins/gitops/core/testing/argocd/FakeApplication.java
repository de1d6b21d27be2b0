package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One Argo CD Application in the fake: its JSON (as the API serves it) and how the simulated controller
 * treats it. Created by {@link FakeArgoCd#createApp}; the fluent setters configure the app and the
 * outcome of its next syncs, the observers let a test see what the fake did.
 *
 * <p>A sync runs as controller steps: operation {@code Running} (PreSync hooks running) -> resources
 * applied, health {@code Progressing} -> terminal phase with {@code finishedAt}, {@code .operation}
 * removed, sync status {@code Synced} -> after the reconcile lag {@code reconciledAt} -> health
 * {@code Healthy} or {@code Degraded}. Every change increments {@code metadata.resourceVersion} and is
 * published to watch streams.
 */
public final class FakeApplication {

    /** Phase and message a sync ends with. */
    public record SyncOutcome(String phase, String message) {
        public static SyncOutcome succeeded() {
            return new SyncOutcome("Succeeded", "successfully synced (all tasks run)");
        }

        public static SyncOutcome failed(String message) {
            return new SyncOutcome("Failed", message);
        }

        public static SyncOutcome error(String message) {
            return new SyncOutcome("Error", message);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final FakeArgoCd fake;
    private final Object lock;
    private ObjectNode json;

    private final Deque<SyncOutcome> nextOutcomes = new ArrayDeque<>();
    private final List<ManagedResource> resources = new ArrayList<>();
    private final List<ManagedResource> preSyncHooks = new ArrayList<>();
    private final List<ManagedResource> postSyncHooks = new ArrayList<>();
    private final List<ManagedResource> pruneCandidates = new ArrayList<>();
    private String degradedMessage;
    private Duration reconcileLag;
    private boolean forbidden;
    private boolean syncDenied;
    private boolean syncWindowBlocks;
    private boolean holdOperations;
    private boolean holdOperationStarts;
    private boolean deleted;
    private Run run;
    private int runCount;
    private int historyId;
    private long lastChangeNanos = System.nanoTime();

    /** A sync operation from the moment the server accepted it until the controller finished it. */
    private static final class Run {
        final int number;
        final ObjectNode operation;
        final List<String> revisions;
        final boolean dryRun;
        boolean held;
        boolean notStarted;
        boolean terminating;

        Run(int number, ObjectNode operation, List<String> revisions) {
            this.number = number;
            this.operation = operation;
            this.revisions = List.copyOf(revisions);
            this.dryRun = operation.path("sync").path("dryRun").asBoolean(false);
        }
    }

    FakeApplication(FakeArgoCd fake, String namespace, String name, String repoURL, String targetRevision) {
        this.fake = fake;
        this.lock = fake.lock();
        resources.add(ManagedResource.service(name + "-ui"));
        resources.add(ManagedResource.deployment(name + "-ui"));
        json = initialJson(namespace, name, repoURL, targetRevision);
    }

    // ---------------------------------------------------------------- configuration (fluent)

    /** Sets {@code spec.source.targetRevision} (a branch, tag or SHA). */
    public FakeApplication targetRevision(String revision) {
        return editSpec(spec -> singleSource(spec).put("targetRevision", revision));
    }

    /**
     * Makes the app multi-source: {@code spec.sources} with one source per target revision (same repo,
     * paths {@code apps/<name>} then {@code apps/<name>-<i>}); revisions then travel as {@code revisions}.
     */
    public FakeApplication multiSource(String... targetRevisions) {
        return editSpec(spec -> {
            JsonNode first = spec.has("source") ? spec.get("source") : spec.path("sources").path(0);
            String repoURL = first.path("repoURL").asText();
            String path = first.path("path").asText();
            ArrayNode sources = NODES.arrayNode();
            for (int i = 0; i < targetRevisions.length; i++) {
                sources.addObject().put("repoURL", repoURL).put("path", i == 0 ? path : path + "-" + i)
                        .put("targetRevision", targetRevisions[i]);
            }
            spec.remove("source");
            spec.set("sources", sources);
        });
    }

    /** Sets {@code spec.source.path}. */
    public FakeApplication path(String path) {
        return editSpec(spec -> singleSource(spec).put("path", path));
    }

    /** Sets {@code spec.source.kustomize.images}. */
    public FakeApplication kustomizeImages(String... images) {
        return editSpec(spec -> {
            ArrayNode list = singleSource(spec).putObject("kustomize").putArray("images");
            for (String image : images) {
                list.add(image);
            }
        });
    }

    /** Sets {@code spec.source.helm.parameters}: {@code name=value} pairs, in order. */
    public FakeApplication helmParameters(String... nameEqualsValue) {
        return editSpec(spec -> {
            ArrayNode list = singleSource(spec).putObject("helm").putArray("parameters");
            for (String parameter : nameEqualsValue) {
                int equals = parameter.indexOf('=');
                list.addObject().put("name", parameter.substring(0, equals)).put("value", parameter.substring(equals + 1));
            }
        });
    }

    /** Sets {@code metadata.labels} (watch streams filter on them with {@code selector}). */
    public FakeApplication labels(Map<String, String> labels) {
        mutate(app -> {
            ObjectNode metadata = app.withObjectProperty("metadata");
            metadata.remove("labels");
            if (!labels.isEmpty()) {
                ObjectNode map = metadata.putObject("labels");
                labels.forEach(map::put);
            }
        });
        return this;
    }

    /** Sets {@code spec.project}. */
    public FakeApplication project(String project) {
        return editSpec(spec -> spec.put("project", project));
    }

    /** Turns auto-sync ({@code spec.syncPolicy.automated}) on or off. */
    public FakeApplication automated(boolean automated) {
        return editSpec(spec -> {
            ObjectNode policy = spec.has("syncPolicy") ? (ObjectNode) spec.get("syncPolicy") : spec.putObject("syncPolicy");
            if (automated) {
                policy.putObject("automated").put("prune", true).put("selfHeal", true);
            } else {
                policy.remove("automated");
            }
        });
    }

    /** Sets {@code spec.syncPolicy.syncOptions}. */
    public FakeApplication syncOptions(String... options) {
        return editSpec(spec -> {
            ObjectNode policy = spec.has("syncPolicy") ? (ObjectNode) spec.get("syncPolicy") : spec.putObject("syncPolicy");
            ArrayNode list = policy.putArray("syncOptions");
            for (String option : options) {
                list.add(option);
            }
        });
    }

    /** Replaces the managed resources (default: Service and Deployment {@code <name>-ui}). */
    public FakeApplication resources(ManagedResource... managed) {
        synchronized (lock) {
            resources.clear();
            resources.addAll(List.of(managed));
            mutate(app -> app.withObjectProperty("status").set("resources",
                    resourceStatuses(app, app.path("status").path("sync").path("status").asText("Synced"))));
        }
        return this;
    }

    /**
     * A live resource no longer in git: the app is OutOfSync with it marked {@code requiresPruning}; a sync
     * without {@code prune} leaves it ({@code PruneSkipped}, app still OutOfSync), one with prune deletes it.
     */
    public FakeApplication requiresPruning(ManagedResource extraneous) {
        synchronized (lock) {
            pruneCandidates.add(extraneous);
            mutate(this::settle);
        }
        return this;
    }

    /** Adds a PreSync hook Job that runs before the resources are applied. */
    public FakeApplication preSyncHook(String jobName) {
        return configure(() -> preSyncHooks.add(ManagedResource.job(jobName)));
    }

    /** Adds a PostSync hook Job that runs after the resources are applied. */
    public FakeApplication postSyncHook(String jobName) {
        return configure(() -> postSyncHooks.add(ManagedResource.job(jobName)));
    }

    /** The next sync ends {@code Failed} with this message and its Deployment {@code SyncFailed}. */
    public FakeApplication nextSyncFails(String message) {
        return nextOutcome(SyncOutcome.failed(message));
    }

    /** The next sync ends in phase {@code Error} with this message. */
    public FakeApplication nextSyncErrors(String message) {
        return nextOutcome(SyncOutcome.error(message));
    }

    /** Queues the outcome of the next sync; syncs without a queued outcome succeed. */
    public FakeApplication nextOutcome(SyncOutcome outcome) {
        return configure(() -> nextOutcomes.add(outcome));
    }

    /** After each successful sync, health goes Progressing -> Degraded, the Deployment carrying this message. */
    public FakeApplication degradedAfterSync(String resourceMessage) {
        return configure(() -> degradedMessage = resourceMessage);
    }

    /** After each successful sync, health goes Progressing -> Healthy (the default). */
    public FakeApplication healthyAfterSync() {
        return configure(() -> degradedMessage = null);
    }

    /**
     * Delay between an operation's end ({@code finishedAt}) and the controller's next reconcile
     * ({@code reconciledAt}); also how long a refresh takes. Default: the fake's step delay.
     */
    public FakeApplication reconcileLag(Duration lag) {
        return configure(() -> reconcileLag = lag);
    }

    /** The caller may not see the app: 403 {@code permission denied} (404 when {@code project} is given). */
    public FakeApplication forbidden(boolean forbidden) {
        return configure(() -> this.forbidden = forbidden);
    }

    /** The caller may see the app but not sync it: 403 {@code permission denied: applications, sync, ...}. */
    public FakeApplication syncDenied(boolean denied) {
        return configure(() -> this.syncDenied = denied);
    }

    /** Syncs are rejected with 403 {@code cannot sync: blocked by sync window}. */
    public FakeApplication blockedBySyncWindow(boolean blocked) {
        return configure(() -> this.syncWindowBlocks = blocked);
    }

    /** Marks the app as being deleted ({@code metadata.deletionTimestamp}): syncs are rejected. */
    public FakeApplication deleting() {
        mutate(app -> app.withObjectProperty("metadata").put("deletionTimestamp", stamp(fake.controller().stamp())));
        return this;
    }

    /** Operations stop in phase Running (after their first step) until {@link #releaseOperation()}. */
    public FakeApplication holdOperations() {
        return configure(() -> holdOperations = true);
    }

    /** Lets a held operation, and later ones, run to the end. */
    public FakeApplication releaseOperation() {
        synchronized (lock) {
            holdOperations = false;
            if (run != null && run.held) {
                run.held = false;
                Run current = run;
                fake.controller().schedule(fake.stepDelay(), () -> apply(current));
            }
        }
        return this;
    }

    /**
     * The controller does not pick up requested operations (busy, or down): {@code .operation} stays set with
     * no {@code status.operationState} until {@link #startHeldOperation()}.
     */
    public FakeApplication holdOperationStarts() {
        return configure(() -> holdOperationStarts = true);
    }

    /** The controller picks up the requested operation, and later ones, again. */
    public FakeApplication startHeldOperation() {
        synchronized (lock) {
            holdOperationStarts = false;
            if (run != null && run.notStarted) {
                run.notStarted = false;
                Run current = run;
                fake.controller().schedule(fake.stepDelay(), () -> start(current));
            }
        }
        return this;
    }

    /**
     * Starts a sync of the target revision as another user would ({@code initiatedBy.username}), e.g.
     * together with {@link #holdOperations()} for "another operation is already in progress".
     */
    public FakeApplication startOperation(String username) {
        synchronized (lock) {
            List<String> revisions = SourceRevisions.resolve(fake.revisions(), json.path("spec"), List.of());
            ObjectNode operation = NODES.objectNode();
            ObjectNode sync = operation.putObject("sync");
            SourceRevisions.putRevisions(sync, json.path("spec"), revisions);
            sync.putObject("syncStrategy").putObject("hook");
            SourceRevisions.putSources(sync, json.path("spec"));
            operation.putObject("initiatedBy").put("username", username);
            operation.putObject("retry");
            begin(operation, revisions);
        }
        return this;
    }

    /**
     * Records a finished earlier operation (by user {@code alice}) at {@code revision}, e.g. to set up the
     * stale-operation trap: an old Succeeded operation that must not count for a newer commit.
     */
    public FakeApplication lastOperation(String revision, SyncOutcome outcome) {
        synchronized (lock) {
            Instant startedAt = fake.controller().stamp();
            Instant finishedAt = fake.controller().stamp();
            mutate(app -> {
                ObjectNode operation = NODES.objectNode();
                List<String> revisions = java.util.Collections.nCopies(SourceRevisions.sources(app.path("spec")).size(), revision);
                ObjectNode sync = operation.putObject("sync");
                SourceRevisions.putRevisions(sync, app.path("spec"), revisions);
                sync.putObject("syncStrategy").putObject("hook");
                SourceRevisions.putSources(sync, app.path("spec"));
                operation.putObject("initiatedBy").put("username", "alice");
                operation.putObject("retry");
                ObjectNode state = app.withObjectProperty("status").putObject("operationState");
                state.set("operation", operation);
                state.put("phase", outcome.phase()).put("message", outcome.message());
                ObjectNode result = state.putObject("syncResult");
                result.putArray("resources");
                SourceRevisions.putRevisions(result, app.path("spec"), revisions);
                if (!result.has("revision")) {
                    result.put("revision", ""); // no omitempty on SyncOperationResult.revision
                }
                SourceRevisions.putSources(result, app.path("spec"));
                state.put("startedAt", stamp(startedAt)).put("finishedAt", stamp(finishedAt));
                app.withObjectProperty("status").put("reconciledAt", stamp(fake.controller().stamp()));
            });
        }
        return this;
    }

    /** Health turns Degraded now (e.g. a pod crash-loops mid-wait), the Deployment carrying this message. */
    public FakeApplication degradeNow(String resourceMessage) {
        mutate(app -> setHealth(app, "Degraded", resourceMessage));
        return this;
    }

    /**
     * Changes the Application JSON directly (e.g. add {@code status.conditions}, an app-level health
     * message as Argo CD 3.6 writes it). The result is published to watchers and still validated against
     * the contract when served, so a test can also prove that a wrong body is caught.
     */
    public FakeApplication edit(Consumer<ObjectNode> change) {
        mutate(change);
        return this;
    }

    /** A controller reconcile as its periodic poll would do: sees new commits, may auto-sync. */
    public CompletableFuture<Void> reconcile() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        fake.controller().schedule(lag(), () -> reconcileNow(done));
        return done;
    }

    /** Removes the app: watchers get DELETED, later requests 403/404. */
    public void delete() {
        synchronized (lock) {
            deleted = true;
            run = null;
            fake.removed(this, json.deepCopy());
        }
    }

    // ---------------------------------------------------------------- observation

    public String name() {
        synchronized (lock) {
            return json.path("metadata").path("name").asText();
        }
    }

    public String namespace() {
        synchronized (lock) {
            return json.path("metadata").path("namespace").asText();
        }
    }

    /** A copy of the Application JSON as GET would serve it now. */
    public ObjectNode json() {
        synchronized (lock) {
            return json.deepCopy();
        }
    }

    /** {@link System#nanoTime()} of the app's last change, e.g. for a benchmark's "final state reached" moment. */
    public long lastChangeNanos() {
        synchronized (lock) {
            return lastChangeNanos;
        }
    }

    /** How many operations were started (by syncs, auto-sync and {@link #startOperation}). */
    public int operationsStarted() {
        synchronized (lock) {
            return runCount;
        }
    }

    /**
     * Waits (bounded by {@code timeout}) until the app JSON satisfies {@code condition}; returns that JSON.
     * For tests of the fake itself and for benchmarks that need the moment the final state was reached.
     */
    public ObjectNode await(Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.test(json)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the fake app '" + name() + "' did not reach the expected state within "
                            + timeout + "; it is: " + json);
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return json.deepCopy();
        }
    }

    // ---------------------------------------------------------------- server side (fake lock held)

    boolean visibleTo(String project) {
        return !deleted && !forbidden && (project == null || project.equals(json.path("spec").path("project").asText()));
    }

    boolean syncDenied() {
        return syncDenied;
    }

    boolean blockedBySyncWindow() {
        return syncWindowBlocks;
    }

    boolean isDeleting() {
        return json.path("metadata").has("deletionTimestamp");
    }

    boolean hasOperation() {
        return json.has("operation");
    }

    JsonNode spec() {
        return json.path("spec");
    }

    String project() {
        return json.path("spec").path("project").asText();
    }

    /** The sync handler: records the operation and lets the controller pick it up. */
    ObjectNode acceptSync(ObjectNode operation, List<String> revisions) {
        begin(operation, revisions);
        ObjectNode response = json.deepCopy();
        ((ObjectNode) response.path("status")).remove("operationState");
        return response;
    }

    /**
     * DELETE .../operation, as TerminateOperation (argo-cd v3.5.1 server/application/application.go:2516-2520):
     * refused with code 3 unless an operation is requested AND the controller has started it. A sync the
     * controller has not picked up yet has no {@code operationState} (the sync cleared it), so it cannot be
     * terminated although it will still run.
     */
    void terminate() {
        if (!json.has("operation") || !json.path("status").has("operationState")) {
            throw new ArgoError(ArgoError.INVALID_ARGUMENT,
                    "Unable to terminate operation. No operation is in progress");
        }
        Run current = run;
        mutate(app -> ((ObjectNode) app.path("status").path("operationState")).put("phase", "Terminating"));
        if (current != null) {
            current.terminating = true;
            fake.controller().schedule(fake.stepDelay(), () -> terminated(current));
        }
    }

    /** GET ?refresh=: sets the annotation and has the controller reconcile; the future completes after. */
    CompletableFuture<Void> refresh(String type) {
        mutate(app -> app.withObjectProperty("metadata").withObjectProperty("annotations").put("argocd.argoproj.io/refresh", type));
        return reconcile();
    }

    /** PUT .../spec: replaces the whole spec; the controller then compares the app again. */
    void replaceSpec(JsonNode spec) {
        mutate(app -> {
            app.set("spec", spec.deepCopy());
            ObjectNode metadata = app.withObjectProperty("metadata");
            metadata.put("generation", metadata.path("generation").asLong() + 1);
        });
        reconcile();
    }

    /** PATCH: the patched JSON replaces spec (and labels/annotations), as the server's update does. */
    void replaceFromPatch(JsonNode patched) {
        mutate(app -> {
            if (!patched.path("spec").equals(app.path("spec"))) {
                app.set("spec", patched.path("spec").deepCopy());
                ObjectNode metadata = app.withObjectProperty("metadata");
                metadata.put("generation", metadata.path("generation").asLong() + 1);
            }
            for (String field : new String[] {"labels", "annotations"}) {
                JsonNode value = patched.path("metadata").path(field);
                if (value.isObject() && !value.isEmpty()) {
                    app.withObjectProperty("metadata").set(field, value.deepCopy());
                } else {
                    app.withObjectProperty("metadata").remove(field);
                }
            }
        });
        reconcile();
    }

    ObjectNode resourceTree() {
        ObjectNode tree = NODES.objectNode();
        ArrayNode nodes = tree.putArray("nodes");
        String namespace = destinationNamespace(json);
        for (JsonNode resource : json.path("status").path("resources")) {
            ObjectNode node = nodes.addObject();
            node.put("version", resource.path("version").asText());
            node.put("kind", resource.path("kind").asText());
            node.put("namespace", namespace);
            node.put("name", resource.path("name").asText());
            node.put("uid", UUID.nameUUIDFromBytes(resource.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
            if (!resource.path("group").asText().isEmpty()) {
                node.put("group", resource.path("group").asText());
            }
            node.put("resourceVersion", json.path("metadata").path("resourceVersion").asText());
            if (resource.has("health")) {
                node.set("health", resource.get("health").deepCopy());
            }
        }
        tree.putArray("orphanedNodes");
        tree.putArray("hosts");
        return tree;
    }

    ObjectNode managedResources() {
        ObjectNode response = NODES.objectNode();
        ArrayNode items = response.putArray("items");
        String namespace = destinationNamespace(json);
        for (JsonNode resource : json.path("status").path("resources")) {
            ObjectNode item = items.addObject();
            if (!resource.path("group").asText().isEmpty()) {
                item.put("group", resource.path("group").asText());
            }
            item.put("kind", resource.path("kind").asText());
            item.put("namespace", namespace);
            item.put("name", resource.path("name").asText());
            String manifest = "{\"apiVersion\":\"" + apiVersion(resource) + "\",\"kind\":\"" + resource.path("kind").asText()
                    + "\",\"metadata\":{\"name\":\"" + resource.path("name").asText() + "\",\"namespace\":\"" + namespace + "\"}}";
            item.put("targetState", manifest);
            item.put("liveState", manifest);
            item.put("normalizedLiveState", manifest);
            item.put("predictedLiveState", manifest);
            item.put("modified", "OutOfSync".equals(resource.path("status").asText()));
        }
        return response;
    }

    // ---------------------------------------------------------------- controller steps

    private void begin(ObjectNode operation, List<String> revisions) {
        Run started = new Run(++runCount, operation, revisions);
        run = started;
        // as argo.SetAppOperation: the previous operation's state is cleared in the same update
        mutate(app -> {
            app.set("operation", operation.deepCopy());
            app.withObjectProperty("status").remove("operationState");
        });
        fake.controller().schedule(fake.stepDelay(), () -> start(started));
    }

    private void start(Run current) {
        synchronized (lock) {
            if (current != run || current.terminating) {
                return;
            }
            if (holdOperationStarts) {
                current.notStarted = true;
                return;
            }
            Instant startedAt = fake.controller().stamp();
            mutate(app -> app.withObjectProperty("status").set("operationState", runningState(app, current, startedAt)));
            if (holdOperations) {
                current.held = true;
            } else {
                fake.controller().schedule(fake.stepDelay(), () -> apply(current));
            }
        }
    }

    private void apply(Run current) {
        synchronized (lock) {
            if (current != run || current.terminating) {
                return;
            }
            mutate(app -> {
                ObjectNode state = (ObjectNode) app.path("status").path("operationState");
                ArrayNode results = (ArrayNode) state.path("syncResult").path("resources");
                for (JsonNode result : results) {
                    ((ObjectNode) result).put("hookPhase", "Succeeded")
                            .put("message", "Reached expected number of succeeded pods");
                }
                for (ManagedResource resource : resources) {
                    ObjectNode result = resourceResult(app, resource);
                    result.put("status", "Synced").put("message", resource.kubectlName() + " configured")
                            .put("hookPhase", "Running").put("syncPhase", "Sync");
                    addImages(app, resource, result);
                    results.add(result);
                }
                boolean prune = current.operation.path("sync").path("prune").asBoolean(false);
                for (ManagedResource extraneous : pruneCandidates) {
                    results.add(resourceResult(app, extraneous).put("status", prune ? "Pruned" : "PruneSkipped")
                            .put("message", prune ? "pruned" : "ignored (requires pruning)")
                            .put("hookPhase", "Running").put("syncPhase", "Sync"));
                }
                for (ManagedResource hook : postSyncHooks) {
                    results.add(hookResult(app, hook, "PostSync"));
                }
                if (!postSyncHooks.isEmpty()) {
                    state.put("message", "waiting for completion of hook " + postSyncHooks.get(0).hookName());
                } else {
                    state.remove("message");
                }
                if (!current.dryRun) {
                    setHealth(app, "Progressing", null);
                }
            });
            fake.controller().schedule(fake.stepDelay(), () -> finish(current));
        }
    }

    private void finish(Run current) {
        synchronized (lock) {
            if (current != run || current.terminating) {
                return;
            }
            SyncOutcome outcome = nextOutcomes.isEmpty() ? SyncOutcome.succeeded() : nextOutcomes.poll();
            int attempts = json.path("status").path("operationState").path("retryCount").asInt(0);
            int limit = current.operation.path("retry").path("limit").asInt(0);
            if (!"Succeeded".equals(outcome.phase()) && (limit < 0 || attempts < limit)) {
                // as the controller: the failed attempt stays Running with a note, then syncs again
                int attempt = attempts + 1;
                String at = DateTimeFormatter.ofPattern("h:mma", Locale.US).withZone(ZoneOffset.UTC)
                        .format(fake.controller().stamp());
                mutate(app -> ((ObjectNode) app.path("status").path("operationState"))
                        .put("message", outcome.message() + ". Retrying attempt #" + attempt + " at " + at + ".")
                        .put("retryCount", attempt));
                fake.controller().schedule(fake.stepDelay(), () -> retry(current, attempt));
                return;
            }
            Instant finishedAt = fake.controller().stamp();
            mutate(app -> {
                ObjectNode status = app.withObjectProperty("status");
                ObjectNode state = (ObjectNode) status.path("operationState");
                state.put("phase", outcome.phase()).put("message", outcome.message());
                for (JsonNode result : state.path("syncResult").path("resources")) {
                    ObjectNode r = (ObjectNode) result;
                    if ("PostSync".equals(r.path("hookType").asText())) {
                        r.put("hookPhase", "Succeeded").put("message", "Reached expected number of succeeded pods");
                    }
                    if (!"Succeeded".equals(outcome.phase()) && "Deployment".equals(r.path("kind").asText())) {
                        r.put("status", "SyncFailed").put("hookPhase", "Failed").put("message", outcome.message());
                    }
                }
                state.put("finishedAt", stamp(finishedAt));
                app.remove("operation");
                if ("Succeeded".equals(outcome.phase()) && !current.dryRun) {
                    boolean pruned = current.operation.path("sync").path("prune").asBoolean(false);
                    if (pruned) {
                        status.set("resources", withoutPruneCandidates(status.path("resources")));
                    }
                    ObjectNode sync = status.putObject("sync");
                    sync.put("status", pruned || pruneCandidates.isEmpty() ? "Synced" : "OutOfSync");
                    ObjectNode comparedTo = sync.putObject("comparedTo");
                    SourceRevisions.putSources(comparedTo, app.path("spec"));
                    comparedTo.set("destination", app.path("spec").path("destination").deepCopy());
                    SourceRevisions.putRevisions(sync, app.path("spec"), current.revisions);
                    for (JsonNode resource : status.path("resources")) {
                        if (!resource.path("requiresPruning").asBoolean(false)) {
                            ((ObjectNode) resource).put("status", "Synced");
                        }
                    }
                    ObjectNode entry = status.withArrayProperty("history").addObject();
                    SourceRevisions.putRevisions(entry, app.path("spec"), current.revisions);
                    entry.put("deployedAt", stamp(finishedAt));
                    entry.put("id", ++historyId);
                    SourceRevisions.putSources(entry, app.path("spec"));
                    entry.put("deployStartedAt", state.path("startedAt").asText());
                    entry.set("initiatedBy", current.operation.path("initiatedBy").deepCopy());
                    List<String> deployed = kustomizeImages(app);
                    if (!deployed.isEmpty()) {
                        ArrayNode images = status.withObjectProperty("summary").putArray("images");
                        deployed.forEach(images::add);
                    }
                    status.put("sourceType", app.path("spec").path("source").has("kustomize") ? "Kustomize" : "Directory");
                }
            });
            run = null;
            boolean healthy = "Succeeded".equals(outcome.phase()) && !current.dryRun;
            if (healthy && current.operation.path("sync").path("prune").asBoolean(false)) {
                pruneCandidates.clear();
            }
            fake.controller().schedule(lag(), () -> reconciled(current, healthy ? degradedMessage : null, healthy));
        }
    }

    private void retry(Run current, int attempt) {
        synchronized (lock) {
            if (current != run || current.terminating) {
                return;
            }
            mutate(app -> {
                ObjectNode previous = (ObjectNode) app.path("status").path("operationState");
                ObjectNode state = runningState(app, current, Instant.parse(previous.path("startedAt").asText()));
                state.put("retryCount", attempt);
                app.withObjectProperty("status").set("operationState", state);
            });
            fake.controller().schedule(fake.stepDelay(), () -> apply(current));
        }
    }

    private void terminated(Run current) {
        synchronized (lock) {
            if (current != run) {
                return;
            }
            Instant finishedAt = fake.controller().stamp();
            mutate(app -> {
                ObjectNode state = (ObjectNode) app.path("status").path("operationState");
                state.put("phase", "Failed").put("message", "Operation terminated").put("finishedAt", stamp(finishedAt));
                app.remove("operation");
            });
            run = null;
            fake.controller().schedule(lag(), () -> reconciled(current, null, false));
        }
    }

    /** The reconcile after an operation; then health settles one step later. */
    private void reconciled(Run finished, String degraded, boolean settleHealth) {
        synchronized (lock) {
            if (finished.number != runCount || deleted) {
                return; // a newer operation owns the app's state now
            }
            mutate(app -> app.withObjectProperty("status").put("reconciledAt", stamp(fake.controller().stamp())));
            fake.controller().schedule(fake.stepDelay(), () -> {
                synchronized (lock) {
                    if (finished.number == runCount && !deleted) {
                        mutate(app -> {
                            if (settleHealth && degraded != null) {
                                setHealth(app, "Degraded", degraded);
                            } else if (settleHealth || "Progressing".equals(app.path("status").path("health").path("status").asText())) {
                                setHealth(app, "Healthy", null);
                            }
                        });
                    }
                }
            });
        }
    }

    private void reconcileNow(CompletableFuture<Void> done) {
        synchronized (lock) {
            try {
                if (deleted) {
                    return;
                }
                List<String> resolved = null;
                try {
                    resolved = SourceRevisions.resolve(fake.revisions(), json.path("spec"), List.of());
                } catch (ArgoError unresolvable) {
                    // the real controller records a ComparisonError condition; the revision stays as it was
                }
                List<String> target = resolved;
                mutate(app -> {
                    ObjectNode metadata = app.withObjectProperty("metadata");
                    if (metadata.has("annotations")) {
                        ((ObjectNode) metadata.get("annotations")).remove("argocd.argoproj.io/refresh");
                        if (metadata.get("annotations").isEmpty()) {
                            metadata.remove("annotations");
                        }
                    }
                    ObjectNode status = app.withObjectProperty("status");
                    status.put("reconciledAt", stamp(fake.controller().stamp()));
                    ObjectNode comparedTo = status.withObjectProperty("sync").withObjectProperty("comparedTo");
                    boolean specChanged = !SourceRevisions.sameSources(comparedTo, app.path("spec"))
                            || !comparedTo.path("destination").equals(app.path("spec").path("destination"));
                    SourceRevisions.putSources(comparedTo, app.path("spec"));
                    comparedTo.set("destination", app.path("spec").path("destination").deepCopy());
                    if (target != null && (specChanged || !target.equals(SourceRevisions.read(status.path("sync"))))) {
                        ObjectNode sync = status.withObjectProperty("sync");
                        sync.put("status", "OutOfSync");
                        SourceRevisions.putRevisions(sync, app.path("spec"), target);
                        for (JsonNode resource : status.path("resources")) {
                            if ("Deployment".equals(resource.path("kind").asText())) {
                                ((ObjectNode) resource).put("status", "OutOfSync");
                            }
                        }
                    }
                });
                JsonNode lastResult = json.path("status").path("operationState").path("syncResult");
                boolean alreadyAttempted = target != null && target.equals(SourceRevisions.read(lastResult))
                        && SourceRevisions.sameSources(lastResult, json.path("spec"));
                if (target != null && isAutomated() && !json.has("operation") && !isDeleting() && !alreadyAttempted
                        && "OutOfSync".equals(json.path("status").path("sync").path("status").asText())) {
                    ObjectNode operation = NODES.objectNode();
                    ObjectNode sync = operation.putObject("sync");
                    SourceRevisions.putRevisions(sync, json.path("spec"), target);
                    SourceRevisions.putSources(sync, json.path("spec"));
                    JsonNode options = json.path("spec").path("syncPolicy").path("syncOptions");
                    if (options.isArray()) {
                        sync.set("syncOptions", options.deepCopy());
                    }
                    operation.putObject("initiatedBy").put("automated", true);
                    JsonNode retry = json.path("spec").path("syncPolicy").path("retry");
                    operation.set("retry", retry.isObject() ? retry.deepCopy() : NODES.objectNode());
                    begin(operation, target);
                }
            } finally {
                done.complete(null);
            }
        }
    }

    // ---------------------------------------------------------------- JSON helpers

    private FakeApplication configure(Runnable change) {
        synchronized (lock) {
            change.run();
        }
        return this;
    }

    private ObjectNode singleSource(ObjectNode spec) {
        if (!(spec.get("source") instanceof ObjectNode source)) {
            throw new IllegalStateException("the fake app " + spec.path("project").asText() + "/" + name()
                    + " is multi-source: set its sources with multiSource(...) or edit(...)");
        }
        return source;
    }

    /** Test set-up of the spec: the app is as if it had always been so (see {@link #settle}). */
    private FakeApplication editSpec(Consumer<ObjectNode> edit) {
        mutate(app -> {
            edit.accept(app.withObjectProperty("spec"));
            settle(app);
        });
        return this;
    }

    /**
     * Set-up state: compared, synced and healthy at what the spec says now, as if it had always been so
     * ({@code Unknown} when the target revision does not resolve).
     */
    private void settle(ObjectNode app) {
        List<String> revisions;
        try {
            revisions = SourceRevisions.resolve(fake.revisions(), app.path("spec"), List.of());
        } catch (ArgoError unresolvable) {
            revisions = null;
        }
        String syncStatus = revisions == null ? "Unknown" : pruneCandidates.isEmpty() ? "Synced" : "OutOfSync";
        ObjectNode status = app.withObjectProperty("status");
        status.set("resources", resourceStatuses(app, syncStatus));
        ObjectNode sync = status.withObjectProperty("sync");
        sync.put("status", syncStatus);
        ObjectNode comparedTo = sync.withObjectProperty("comparedTo");
        SourceRevisions.putSources(comparedTo, app.path("spec"));
        comparedTo.set("destination", app.path("spec").path("destination").deepCopy());
        if (revisions != null) {
            SourceRevisions.putRevisions(sync, app.path("spec"), revisions);
        } else {
            sync.remove("revision");
            sync.remove("revisions");
        }
        status.put("sourceType", app.path("spec").path("source").has("kustomize") ? "Kustomize" : "Directory");
        List<String> images = kustomizeImages(app);
        if (images.isEmpty()) {
            status.withObjectProperty("summary").remove("images");
        } else {
            ArrayNode list = status.withObjectProperty("summary").putArray("images");
            images.forEach(list::add);
        }
    }

    /** Applies a change; only a real change bumps resourceVersion and is published. */
    private void mutate(Consumer<ObjectNode> change) {
        synchronized (lock) {
            ObjectNode updated = json.deepCopy();
            change.accept(updated);
            if (updated.equals(json)) {
                return;
            }
            updated.withObjectProperty("metadata").put("resourceVersion", Long.toString(fake.nextResourceVersion()));
            json = updated;
            lastChangeNanos = System.nanoTime();
            fake.checkStored(updated);
            if (!deleted) {
                fake.changed(this, updated.deepCopy());
            }
            lock.notifyAll();
        }
    }

    private Duration lag() {
        return reconcileLag != null ? reconcileLag : fake.stepDelay();
    }

    private boolean isAutomated() {
        return json.path("spec").path("syncPolicy").has("automated");
    }

    private ObjectNode runningState(ObjectNode app, Run current, Instant startedAt) {
        ObjectNode state = NODES.objectNode();
        state.set("operation", current.operation.deepCopy());
        state.put("phase", "Running");
        if (!preSyncHooks.isEmpty()) {
            state.put("message", "waiting for completion of hook " + preSyncHooks.get(0).hookName());
        }
        ObjectNode syncResult = state.putObject("syncResult");
        ArrayNode results = syncResult.putArray("resources");
        for (ManagedResource hook : preSyncHooks) {
            results.add(hookResult(app, hook, "PreSync"));
        }
        if (!current.revisions.isEmpty()) {
            SourceRevisions.putRevisions(syncResult, app.path("spec"), current.revisions);
        }
        if (!syncResult.has("revision")) {
            syncResult.put("revision", ""); // no omitempty on SyncOperationResult.revision: "" for multi-source
        }
        SourceRevisions.putSources(syncResult, app.path("spec"));
        state.put("startedAt", stamp(startedAt));
        return state;
    }

    private ObjectNode hookResult(ObjectNode app, ManagedResource hook, String hookType) {
        ObjectNode result = resourceResult(app, hook);
        result.put("status", "Synced").put("message", hook.kubectlName() + " created")
                .put("hookType", hookType).put("hookPhase", "Running").put("syncPhase", hookType);
        return result;
    }

    private static ObjectNode resourceResult(ObjectNode app, ManagedResource resource) {
        ObjectNode result = NODES.objectNode();
        result.put("group", resource.group()).put("version", resource.version()).put("kind", resource.kind())
                .put("namespace", destinationNamespace(app)).put("name", resource.name());
        return result;
    }

    private static void addImages(ObjectNode app, ManagedResource resource, ObjectNode result) {
        List<String> images = kustomizeImages(app);
        if ("Deployment".equals(resource.kind()) && !images.isEmpty()) {
            ArrayNode list = result.putArray("images");
            images.forEach(list::add);
        }
    }

    /** The kustomize image overrides as deployed image references ({@code alias=} stripped). */
    private static List<String> kustomizeImages(JsonNode app) {
        List<String> images = new ArrayList<>();
        for (JsonNode image : app.path("spec").path("source").path("kustomize").path("images")) {
            String text = image.asText();
            images.add(text.contains("=") ? text.substring(text.indexOf('=') + 1) : text);
        }
        return images;
    }

    private void setHealth(ObjectNode app, String health, String deploymentMessage) {
        ObjectNode status = app.withObjectProperty("status");
        ObjectNode appHealth = status.putObject("health");
        appHealth.put("status", health).put("lastTransitionTime", stamp(fake.controller().stamp()));
        for (JsonNode resource : status.path("resources")) {
            ObjectNode resourceHealth = ((ObjectNode) resource).putObject("health");
            boolean workload = "Deployment".equals(resource.path("kind").asText());
            resourceHealth.put("status", workload ? health : "Healthy");
            if (workload && deploymentMessage != null) {
                resourceHealth.put("message", deploymentMessage);
            }
        }
    }

    /** {@code status.resources}: the managed resources, then those that require pruning. */
    private ArrayNode resourceStatuses(JsonNode app, String syncStatus) {
        ArrayNode list = NODES.arrayNode();
        for (ManagedResource resource : resources) {
            resourceStatus(list, app, resource, "OutOfSync".equals(syncStatus) ? "Synced" : syncStatus);
        }
        for (ManagedResource extraneous : pruneCandidates) {
            resourceStatus(list, app, extraneous, "OutOfSync").put("requiresPruning", true);
        }
        return list;
    }

    private static ObjectNode resourceStatus(ArrayNode list, JsonNode app, ManagedResource resource, String syncStatus) {
        ObjectNode entry = list.addObject();
        if (!resource.group().isEmpty()) {
            entry.put("group", resource.group());
        }
        entry.put("version", resource.version()).put("kind", resource.kind())
                .put("namespace", destinationNamespace(app)).put("name", resource.name()).put("status", syncStatus);
        entry.putObject("health").put("status", "Healthy");
        return entry;
    }

    private static ArrayNode withoutPruneCandidates(JsonNode resources) {
        ArrayNode kept = NODES.arrayNode();
        for (JsonNode resource : resources) {
            if (!resource.path("requiresPruning").asBoolean(false)) {
                kept.add(resource.deepCopy());
            }
        }
        return kept;
    }

    private static String destinationNamespace(JsonNode app) {
        return app.path("spec").path("destination").path("namespace").asText("default");
    }

    private static String apiVersion(JsonNode resource) {
        String group = resource.path("group").asText();
        return group.isEmpty() ? resource.path("version").asText() : group + "/" + resource.path("version").asText();
    }

    static String stamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private ObjectNode initialJson(String namespace, String name, String repoURL, String targetRevision) {
        Instant created = fake.controller().stamp();
        ObjectNode app = NODES.objectNode();
        ObjectNode metadata = app.putObject("metadata");
        metadata.put("name", name).put("namespace", namespace)
                .put("uid", UUID.randomUUID().toString())
                .put("resourceVersion", Long.toString(fake.nextResourceVersion()))
                .put("generation", 1)
                .put("creationTimestamp", stamp(created));
        metadata.putArray("finalizers").add("resources-finalizer.argocd.argoproj.io");
        ObjectNode spec = app.putObject("spec");
        ObjectNode source = spec.putObject("source");
        source.put("repoURL", repoURL).put("path", "apps/" + name).put("targetRevision", targetRevision);
        spec.putObject("destination").put("server", "https://kubernetes.default.svc").put("namespace", name);
        spec.put("project", "default");

        ObjectNode status = app.putObject("status");
        settle(app);
        status.putObject("health").put("status", "Healthy").put("lastTransitionTime", stamp(created));
        status.put("reconciledAt", stamp(created));
        status.withObjectProperty("summary");
        status.put("resourceHealthSource", "appTree");
        status.put("controllerNamespace", "argocd");
        status.putObject("sourceHydrator");
        return app;
    }
}
