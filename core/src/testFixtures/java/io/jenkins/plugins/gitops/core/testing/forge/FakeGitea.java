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

/** Gitea's (and Forgejo's) API v1 for pull requests, validated against {@link OpenApiDescriptions#gitea()}. */
public final class FakeGitea extends FakeForge {

    private static final String PULLS = "/api/v1/repos/{owner}/{repo}/pulls";
    private static final String PULL = "/api/v1/repos/{owner}/{repo}/pulls/{index}";
    private static final String LABELS = "/api/v1/repos/{owner}/{repo}/issues/{index}/labels";
    private static final int DEFAULT_LIMIT = 30;

    private FakeGitea(String project) throws IOException {
        super(project, Optional.of(OpenApiDescriptions.gitea()));
        route("GET", PULLS);
        route("POST", PULLS);
        route("GET", PULL);
        route("PATCH", PULL);
        route("POST", LABELS);
    }

    public static FakeGitea start(String project) throws IOException {
        return new FakeGitea(project);
    }

    @Override
    public String apiUrl() {
        return origin() + "/api/v1";
    }

    @Override
    protected String authorizationHeader() {
        return "Authorization";
    }

    @Override
    protected boolean authorized(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Authorization");
        return ("token " + TOKEN).equals(value) || ("Bearer " + TOKEN).equals(value);
    }

    @Override
    protected Reply unauthorized() {
        return new Reply(401, object().put("message", "user does not exist [uid: 0, name: ]").put("url", origin() + "/api/swagger"),
                Map.of(), Optional.empty());
    }

    @Override
    protected Reply invalid(String template, List<String> problems) {
        return new Reply(422, object().put("message", String.join("; ", problems)).put("url", origin() + "/api/swagger"),
                Map.of(), Optional.empty());
    }

    @Override
    protected JsonNode rateLimitBody() {
        return object().put("message", "rate limit exceeded");
    }

    private ObjectNode error(String message) {
        return object().put("message", message).put("url", origin() + "/api/swagger");
    }

    @Override
    protected Reply answer(String template, Call call, List<String> parameters) {
        if (!parameters.get(0).equals(owner) || !parameters.get(1).equals(repo)) {
            return Reply.of(404, error("The target couldn't be found."), template);
        }
        switch (call.method() + " " + template) {
            case "GET " + PULLS: {
                String state = call.query().getOrDefault("state", "open");
                int limit = Integer.parseInt(call.query().getOrDefault("limit", Integer.toString(DEFAULT_LIMIT)));
                int page = Integer.parseInt(call.query().getOrDefault("page", "1"));
                List<FakePullRequest> matching = pulls().stream()
                        .filter(pr -> state.equals("all") || state.equals(pr.state == FakePullRequest.State.OPEN ? "open" : "closed"))
                        .toList();
                ArrayNode list = JSON.createArrayNode();
                matching.stream().skip((long) (page - 1) * limit).limit(limit).forEach(pr -> list.add(pullRequest(pr)));
                return Reply.of(200, list, template);
            }
            case "POST " + PULLS: {
                JsonNode body = call.body();
                String head = body.path("head").asText();
                String base = body.path("base").asText();
                if (takeRace()) {
                    create(head, base, "opened by another pipeline", "", false);
                }
                if (openFor(head, base).isPresent()) {
                    return Reply.of(409, error("pull request already exists for these targets"), template);
                }
                String title = body.path("title").asText();
                FakePullRequest pr = create(head, base, title, body.path("body").asText(""), title.startsWith("WIP:"));
                return Reply.of(201, pullRequest(pr), template);
            }
            case "GET " + PULL:
                return find(parameters.get(2)).map(pr -> Reply.of(200, pullRequest(pr), template))
                        .orElseGet(() -> Reply.of(404, error("pull request does not exist"), template));
            case "PATCH " + PULL: {
                Optional<FakePullRequest> found = find(parameters.get(2));
                if (found.isEmpty()) {
                    return Reply.of(404, error("pull request does not exist"), template);
                }
                FakePullRequest pr = found.get();
                if (call.body().has("title")) {
                    pr.title = call.body().get("title").asText();
                    pr.draft = pr.title.startsWith("WIP:");
                }
                if (call.body().has("body")) {
                    pr.body = call.body().get("body").asText();
                }
                pr.updatedAt = Instant.now();
                return Reply.of(201, pullRequest(pr), template);
            }
            case "POST " + LABELS: {
                Optional<FakePullRequest> found = find(parameters.get(2));
                if (found.isEmpty()) {
                    return Reply.of(404, error("issue does not exist"), template);
                }
                FakePullRequest pr = found.get();
                pr.addLabels(call.body().path("labels"));
                ArrayNode labels = JSON.createArrayNode();
                pr.labels().forEach(name -> labels.add(label(name)));
                return Reply.of(200, labels, template);
            }
            default:
                throw new IllegalStateException("unrouted " + call.method() + " " + template);
        }
    }

    private ObjectNode pullRequest(FakePullRequest pr) {
        String web = origin() + "/" + owner + "/" + repo + "/pulls/" + pr.number;
        ObjectNode json = object().put("id", pr.id).put("number", pr.number).put("url", web).put("html_url", web)
                .put("diff_url", web + ".diff").put("patch_url", web + ".patch")
                .put("state", pr.state == FakePullRequest.State.OPEN ? "open" : "closed")
                .put("title", pr.title).put("body", pr.body).put("draft", pr.draft).put("is_locked", false).put("comments", 0)
                .put("mergeable", pr.state == FakePullRequest.State.OPEN)
                .put("merged", pr.state == FakePullRequest.State.MERGED).put("allow_maintainer_edit", false);
        json.set("user", user("gitops-bot"));
        ArrayNode labels = json.putArray("labels");
        pr.labels().forEach(name -> labels.add(label(name)));
        if (pr.state == FakePullRequest.State.MERGED) {
            json.put("merged_at", time(pr.closedAt)).put("merge_commit_sha", pr.mergeCommit);
            json.set("merged_by", user("reviewer"));
        } else {
            json.putNull("merged_at").putNull("merge_commit_sha").putNull("merged_by");
        }
        json.set("head", branch(pr.head));
        json.set("base", branch(pr.base));
        json.put("created_at", time(pr.createdAt)).put("updated_at", time(pr.updatedAt));
        if (pr.closedAt != null) {
            json.put("closed_at", time(pr.closedAt));
        } else {
            json.putNull("closed_at");
        }
        return json;
    }

    private ObjectNode branch(String ref) {
        return object().put("label", ref).put("ref", ref).put("sha", "0000000000000000000000000000000000000000").put("repo_id", 7);
    }

    private ObjectNode user(String login) {
        return object().put("id", Math.abs(login.hashCode())).put("login", login).put("full_name", login)
                .put("email", login + "@noreply.localhost").put("avatar_url", origin() + "/avatars/" + login)
                .put("html_url", origin() + "/" + login);
    }

    private ObjectNode label(String name) {
        return object().put("id", Math.abs(name.hashCode())).put("name", name).put("color", "ededed").put("description", "")
                .put("exclusive", false).put("is_archived", false).put("url", apiUrl() + "/repos/" + owner + "/" + repo + "/labels/" + Math.abs(name.hashCode()));
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
