package io.jenkins.plugins.gitops.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.InvalidRequestException;
import io.jenkins.plugins.gitops.core.argocd.SyncRequest;

/** {@code operation} as the API server would build it from a sync request (server/application/application.go). */
final class SyncOperationJson {
    private SyncOperationJson() {}

    static ObjectNode of(SyncRequest request, String username, ObjectNode app) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode operation = nodes.objectNode();
        operation.putObject("initiatedBy").put("username", username);
        ArrayNode info = operation.putArray("info");
        request.infos().forEach(i -> info.addObject().put("name", i.name()).put("value", i.value()));
        ObjectNode sync = operation.putObject("sync");
        String revision = request.revision();
        JsonNode policy = app.path("spec").path("syncPolicy");
        if (revision != null && !request.dryRun() && policy.path("automated").isObject()
                && policy.path("automated").path("enabled").asBoolean(true)) {
            String target = app.path("spec").path("source").path("targetRevision").asText("");
            target = target.isEmpty() ? "HEAD" : target;
            if (!revision.equals(target)) {
                throw new InvalidRequestException(400, null, "Cannot sync to " + revision
                        + ": auto-sync currently set to " + target + " (sync auto-sync apps without a revision)");
            }
        }
        sync.put("revision", revision == null ? "" : revision);
        sync.put("prune", request.prune());
        if (request.dryRun()) {
            sync.put("dryRun", true);
        }
        if (!request.resources().isEmpty()) {
            ArrayNode resources = sync.putArray("resources");
            for (SyncRequest.Resource r : request.resources()) {
                ObjectNode resource = resources.addObject().put("group", r.group()).put("kind", r.kind())
                        .put("name", r.name());
                if (r.namespace() != null) {
                    resource.put("namespace", r.namespace());
                }
            }
        }
        if (request.syncOptions() != null) {
            ArrayNode options = sync.putArray("syncOptions");
            request.syncOptions().forEach(options::add);
        } else if (policy.path("syncOptions").isArray()) {
            sync.set("syncOptions", policy.get("syncOptions").deepCopy());
        }
        SyncRequest.Strategy strategy = request.strategy();
        ObjectNode kind = sync.putObject("syncStrategy").putObject(
                strategy != null && strategy.kind() == SyncRequest.Strategy.Kind.APPLY ? "apply" : "hook");
        if (strategy != null && strategy.force()) {
            kind.put("force", true);
        }
        SyncRequest.RetryStrategy retry = request.retry();
        if (retry != null) {
            ObjectNode node = operation.putObject("retry").put("limit", retry.limit()).put("refresh", retry.refresh());
            ObjectNode backoff = node.putObject("backoff");
            if (retry.backoffDuration() != null) {
                backoff.put("duration", retry.backoffDuration().toSeconds() + "s");
            }
            backoff.put("factor", retry.backoffFactor());
            if (retry.backoffMaxDuration() != null) {
                backoff.put("maxDuration", retry.backoffMaxDuration().toSeconds() + "s");
            }
        } else if (policy.path("retry").isObject()) {
            operation.set("retry", policy.get("retry").deepCopy());
        }
        return operation;
    }
}
