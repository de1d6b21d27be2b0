package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an app's sources and their commits go: a single-source app has {@code source}/{@code revision}
 * (in the spec, the operation, the sync result, the sync status and the history), a multi-source app
 * {@code sources}/{@code revisions}, one entry per source in declaration order.
 */
final class SourceRevisions {

    private SourceRevisions() {}

    static boolean isMultiSource(JsonNode spec) {
        return !spec.has("source") && spec.path("sources").isArray();
    }

    static List<JsonNode> sources(JsonNode spec) {
        List<JsonNode> sources = new ArrayList<>();
        if (isMultiSource(spec)) {
            spec.path("sources").forEach(sources::add);
        } else {
            sources.add(spec.path("source"));
        }
        return sources;
    }

    /**
     * The commit of each source: its {@code targetRevision}, or the sync request's revision for it
     * ({@code overrides}: position -> revision, empty strings ignored), resolved to a SHA.
     */
    static List<String> resolve(RevisionResolver resolver, JsonNode spec, List<String> overrides) {
        List<JsonNode> sources = sources(spec);
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            String override = i < overrides.size() ? overrides.get(i) : "";
            shas.add(resolver.resolve(override.isEmpty() ? sources.get(i).path("targetRevision").asText("") : override));
        }
        return shas;
    }

    /** Sets {@code source} or {@code sources} of {@code target} from the spec. */
    static void putSources(ObjectNode target, JsonNode spec) {
        if (isMultiSource(spec)) {
            target.remove("source");
            target.set("sources", spec.path("sources").deepCopy());
        } else {
            target.remove("sources");
            target.set("source", spec.path("source").deepCopy());
        }
    }

    /** Sets {@code revision} or {@code revisions} of {@code target}. */
    static void putRevisions(ObjectNode target, JsonNode spec, List<String> shas) {
        if (isMultiSource(spec)) {
            target.remove("revision");
            ArrayNode list = target.putArray("revisions");
            shas.forEach(list::add);
        } else {
            target.remove("revisions");
            target.put("revision", shas.get(0));
        }
    }

    /** The commits recorded in {@code node} ({@code revision} or {@code revisions}); empty when none. */
    static List<String> read(JsonNode node) {
        List<String> shas = new ArrayList<>();
        if (node.has("revisions")) {
            node.get("revisions").forEach(sha -> shas.add(sha.asText()));
        } else if (node.hasNonNull("revision") && !node.get("revision").asText().isEmpty()) {
            shas.add(node.get("revision").asText());
        }
        return shas;
    }

    /** Whether {@code node} names the same source(s) as the spec. */
    static boolean sameSources(JsonNode node, JsonNode spec) {
        return isMultiSource(spec) ? spec.path("sources").equals(node.path("sources"))
                : spec.path("source").equals(node.path("source"));
    }
}
