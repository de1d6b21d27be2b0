package io.jenkins.plugins.gitops.core.argocd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds Application JSON states for tests, in the shape the API server serves (CONTRACT.md section 2). */
final class AppState {

    static final String OLD = "9d2c41a7e3f05b8c61d4f7a2e90b3c5d18e6f4a1";
    static final String NEW = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";

    final ObjectNode root = ApplicationJson.mapper().createObjectNode();

    private AppState(String name) {
        root.putObject("metadata").put("name", name).put("namespace", "argocd").put("resourceVersion", "100");
        root.putObject("spec").putObject("source").put("repoURL", "https://git.example.org/gitops.git")
                .put("path", "apps/guestbook").put("targetRevision", "main");
        root.putObject("status");
    }

    /** Synced and Healthy at {@code revision} after a Succeeded operation that finished at 10:00:30. */
    static AppState syncedHealthy(String revision) {
        AppState s = new AppState("guestbook");
        s.sync("Synced", revision).health("Healthy").operationState("Succeeded", revision, "successfully synced")
                .reconciledAt("2026-08-20T10:00:40Z");
        s.resource("apps", "Deployment", "guestbook", "guestbook-ui", "Synced", "Healthy", null);
        return s;
    }

    AppState sync(String status, String revision) {
        status().putObject("sync").put("status", status).put("revision", revision);
        return this;
    }

    AppState health(String status) {
        return health(status, null);
    }

    AppState health(String status, String message) {
        ObjectNode h = status().putObject("health").put("status", status);
        if (message != null) {
            h.put("message", message);
        }
        return this;
    }

    AppState operationState(String phase, String revision, String message) {
        ObjectNode os = status().putObject("operationState").put("phase", phase).put("message", message)
                .put("startedAt", "2026-08-20T10:00:00Z");
        if (!phase.equals("Running") && !phase.equals("Terminating")) {
            os.put("finishedAt", "2026-08-20T10:00:30Z");
        }
        os.putObject("operation").putObject("sync").put("revision", revision);
        os.putObject("syncResult").put("revision", revision).putArray("resources");
        return this;
    }

    AppState operationInfo(String name, String value) {
        ObjectNode op = (ObjectNode) status().get("operationState").get("operation");
        op.putArray("info").addObject().put("name", name).put("value", value);
        return this;
    }

    AppState resultResource(String kind, String name, String status, String hookType, String hookPhase, String message) {
        ArrayNode resources = (ArrayNode) status().get("operationState").get("syncResult").get("resources");
        ObjectNode r = resources.addObject().put("kind", kind).put("namespace", "guestbook").put("name", name)
                .put("status", status).put("message", message);
        if (hookType != null) {
            r.put("hookType", hookType);
        }
        if (hookPhase != null) {
            r.put("hookPhase", hookPhase);
        }
        return this;
    }

    AppState noOperationState() {
        status().remove("operationState");
        return this;
    }

    /** A requested operation ({@code .operation} set), as after a sync call. */
    AppState requested(String revision, String infoName, String infoValue) {
        ObjectNode op = root.putObject("operation");
        op.putObject("sync").put("revision", revision);
        op.putObject("initiatedBy").put("username", "someone");
        if (infoName != null) {
            op.putArray("info").addObject().put("name", infoName).put("value", infoValue);
        }
        return this;
    }

    AppState reconciledAt(String instant) {
        status().put("reconciledAt", instant);
        return this;
    }

    AppState resource(String group, String kind, String namespace, String name, String sync, String health,
            String healthMessage) {
        ArrayNode resources = status().has("resources") ? (ArrayNode) status().get("resources")
                : status().putArray("resources");
        ObjectNode r = resources.addObject().put("group", group).put("kind", kind).put("namespace", namespace)
                .put("name", name).put("status", sync);
        ObjectNode h = r.putObject("health").put("status", health);
        if (healthMessage != null) {
            h.put("message", healthMessage);
        }
        return this;
    }

    AppState resourceVersion(String rv) {
        ((ObjectNode) root.get("metadata")).put("resourceVersion", rv);
        return this;
    }

    AppState autoSync() {
        ((ObjectNode) root.get("spec")).putObject("syncPolicy").putObject("automated").put("prune", true);
        return this;
    }

    Application app() {
        return ApplicationJson.parse(root.deepCopy());
    }

    String json() {
        return root.toString();
    }

    private ObjectNode status() {
        return (ObjectNode) root.get("status");
    }
}
