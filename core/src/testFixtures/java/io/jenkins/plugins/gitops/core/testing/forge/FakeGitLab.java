package io.jenkins.plugins.gitops.core.testing.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitLab's REST API v4 for merge requests, validated against {@link OpenApiDescriptions#gitLab()}. Merge requests are
 * addressed by {@code iid}; their global {@code id} differs from it on purpose, so a client that confuses them fails.
 */
public final class FakeGitLab extends FakeForge {

    private static final String MRS = "/api/v4/projects/{id}/merge_requests";
    private static final String MR = "/api/v4/projects/{id}/merge_requests/{merge_request_iid}";

    private FakeGitLab(String project) throws IOException {
        super(project, Optional.of(OpenApiDescriptions.gitLab()));
        route("GET", MRS);
        route("POST", MRS);
        route("GET", MR);
        route("PUT", MR);
    }

    /** A fake of the project {@code group[/subgroup]/name}. */
    public static FakeGitLab start(String project) throws IOException {
        return new FakeGitLab(project);
    }

    @Override
    public String apiUrl() {
        return origin() + "/api/v4";
    }

    @Override
    protected String authorizationHeader() {
        return "PRIVATE-TOKEN";
    }

    @Override
    protected boolean authorized(HttpExchange exchange) {
        return TOKEN.equals(exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN"))
                || ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    @Override
    protected Reply unauthorized() {
        return new Reply(401, object().put("message", "401 Unauthorized"), Map.of(), Optional.empty());
    }

    @Override
    protected Reply invalid(String template, List<String> problems) {
        return new Reply(400, object().put("error", String.join("; ", problems)), Map.of(), Optional.empty());
    }

    @Override
    protected JsonNode rateLimitBody() {
        return object().put("message", "Retry later");
    }

    @Override
    protected Reply answer(String template, Call call, List<String> parameters) {
        if (!parameters.get(0).equals(owner + "/" + repo)) {
            return Reply.of(404, object().put("message", "404 Project Not Found"), template);
        }
        switch (call.method() + " " + template) {
            case "GET " + MRS: {
                String state = call.query().getOrDefault("state", "all");
                ArrayNode list = JSON.createArrayNode();
                for (FakePullRequest mr : pulls()) {
                    if ((state.equals("all") || state.equals(state(mr)))
                            && call.query().getOrDefault("source_branch", mr.head).equals(mr.head)
                            && call.query().getOrDefault("target_branch", mr.base).equals(mr.base)) {
                        list.add(mergeRequest(mr));
                    }
                }
                return Reply.of(200, list, template);
            }
            case "POST " + MRS: {
                JsonNode body = call.body();
                String head = body.path("source_branch").asText();
                String base = body.path("target_branch").asText();
                if (takeRace()) {
                    create(head, base, "opened by another pipeline", "", false);
                }
                Optional<FakePullRequest> existing = openFor(head, base);
                if (existing.isPresent()) {
                    ObjectNode refusal = object();
                    refusal.putArray("message").add("Another open merge request already exists for this source branch: !" + existing.get().number);
                    return Reply.of(409, refusal, template);
                }
                String title = body.path("title").asText();
                FakePullRequest mr = create(head, base, title, body.path("description").asText(""), title.startsWith("Draft:"));
                addLabels(mr, body.path("labels").asText(""));
                return Reply.of(201, mergeRequest(mr), template);
            }
            case "GET " + MR:
                return find(parameters.get(1)).map(mr -> Reply.of(200, mergeRequest(mr), template))
                        .orElseGet(() -> Reply.of(404, object().put("message", "404 Not found"), template));
            case "PUT " + MR: {
                Optional<FakePullRequest> found = find(parameters.get(1));
                if (found.isEmpty()) {
                    return Reply.of(404, object().put("message", "404 Not found"), template);
                }
                FakePullRequest mr = found.get();
                JsonNode body = call.body();
                if (body.has("title")) {
                    mr.title = body.get("title").asText();
                    mr.draft = mr.title.startsWith("Draft:");
                }
                if (body.has("description")) {
                    mr.body = body.get("description").asText();
                }
                addLabels(mr, body.path("add_labels").asText(""));
                mr.updatedAt = Instant.now();
                return Reply.of(200, mergeRequest(mr), template);
            }
            default:
                throw new IllegalStateException("unrouted " + call.method() + " " + template);
        }
    }

    private static void addLabels(FakePullRequest mr, String commaSeparated) {
        synchronized (mr) {
            for (String label : commaSeparated.split(",")) {
                if (!label.isBlank() && !mr.labels.contains(label.strip())) {
                    mr.labels.add(label.strip());
                }
            }
        }
    }

    private static String state(FakePullRequest mr) {
        return switch (mr.state) {
            case OPEN -> "opened";
            case CLOSED -> "closed";
            case MERGED -> "merged";
        };
    }

    private ObjectNode mergeRequest(FakePullRequest mr) {
        ObjectNode json = object().put("id", mr.id).put("iid", mr.number).put("project_id", 42)
                .put("title", mr.title).put("description", mr.body).put("state", state(mr))
                .put("source_branch", mr.head).put("target_branch", mr.base)
                .put("source_project_id", 42).put("target_project_id", 42)
                .put("web_url", origin() + "/" + owner + "/" + repo + "/-/merge_requests/" + mr.number)
                .put("draft", mr.draft).put("work_in_progress", mr.draft)
                .put("sha", "0000000000000000000000000000000000000000")
                .put("created_at", time(mr.createdAt)).put("updated_at", time(mr.updatedAt))
                .put("merge_status", "can_be_merged").put("detailed_merge_status", "mergeable");
        ArrayNode labels = json.putArray("labels");
        mr.labels().forEach(labels::add);
        boolean merged = mr.state == FakePullRequest.State.MERGED;
        if (merged && mr.mergeCommit != null) {
            json.put("merge_commit_sha", mr.mergeCommit);
        } else {
            json.putNull("merge_commit_sha");
        }
        json.putNull("squash_commit_sha");
        if (merged) {
            json.put("merged_at", time(mr.closedAt));
            json.set("merged_by", user("reviewer"));
        } else {
            json.putNull("merged_at");
            json.putNull("merged_by");
        }
        if (mr.state == FakePullRequest.State.CLOSED) {
            json.put("closed_at", time(mr.closedAt));
        } else {
            json.putNull("closed_at");
        }
        json.set("author", user("gitops-bot"));
        return json;
    }

    private ObjectNode user(String name) {
        return object().put("id", Math.abs(name.hashCode())).put("username", name).put("name", name).put("state", "active")
                .putNull("avatar_url").put("web_url", origin() + "/" + name);
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
