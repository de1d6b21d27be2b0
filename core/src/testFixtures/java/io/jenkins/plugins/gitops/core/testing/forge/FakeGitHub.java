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
 * GitHub's REST API for pull requests (a GitHub Enterprise Server layout: {@code /api/v3}), validated against
 * GitHub's own OpenAPI description when {@link OpenApiDescriptions#gitHub()} finds it. The answers carry every
 * property the description requires; values the client never reads are plausible constants.
 */
public final class FakeGitHub extends FakeForge {

    private static final String PULLS = "/api/v3/repos/{owner}/{repo}/pulls";
    private static final String PULL = "/api/v3/repos/{owner}/{repo}/pulls/{pull_number}";
    private static final String LABELS = "/api/v3/repos/{owner}/{repo}/issues/{issue_number}/labels";

    private FakeGitHub(String project, Optional<OpenApiContract> contract) throws IOException {
        super(project, contract.map(FakeGitHub::underApiV3));
        route("GET", PULLS);
        route("POST", PULLS);
        route("GET", PULL);
        route("PATCH", PULL);
        route("POST", LABELS);
    }

    /** A fake of {@code owner/name}, validating when the description is there. */
    public static FakeGitHub start(String project) throws IOException {
        return new FakeGitHub(project, OpenApiDescriptions.gitHub());
    }

    /** The description's paths are relative to the server root; an Enterprise server serves them under /api/v3. */
    private static OpenApiContract underApiV3(OpenApiContract contract) {
        return contract.prefixed("/api/v3");
    }

    @Override
    public String apiUrl() {
        return origin() + "/api/v3";
    }

    public String webUrl(long number) {
        return origin() + "/" + owner + "/" + repo + "/pull/" + number;
    }

    @Override
    protected String authorizationHeader() {
        return "Authorization";
    }

    @Override
    protected boolean authorized(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Authorization");
        return ("Bearer " + TOKEN).equals(value) || ("token " + TOKEN).equals(value);
    }

    @Override
    protected Reply unauthorized() {
        return new Reply(401, error("Bad credentials"), Map.of(), Optional.empty());
    }

    @Override
    protected Reply invalid(String template, List<String> problems) {
        ObjectNode body = error("Invalid request.\n\n" + String.join("\n", problems));
        return new Reply(422, body, Map.of(), Optional.empty());
    }

    @Override
    protected JsonNode rateLimitBody() {
        return error("API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.");
    }

    private static ObjectNode error(String message) {
        return object().put("message", message).put("documentation_url", "https://docs.github.com/rest");
    }

    @Override
    protected Reply answer(String template, Call call, List<String> parameters) {
        if (!parameters.get(0).equals(owner) || !parameters.get(1).equals(repo)) {
            return new Reply(404, error("Not Found"), Map.of(), Optional.empty());
        }
        switch (call.method() + " " + template) {
            case "GET " + PULLS: {
                String state = call.query().getOrDefault("state", "open");
                String head = call.query().get("head");
                String base = call.query().get("base");
                ArrayNode list = JSON.createArrayNode();
                for (FakePullRequest pr : pulls()) {
                    boolean open = pr.state == FakePullRequest.State.OPEN;
                    if ((state.equals("all") || state.equals("open") == open)
                            && (head == null || head.equals(owner + ":" + pr.head)) && (base == null || base.equals(pr.base))) {
                        list.add(pullRequest(pr, false));
                    }
                }
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
                    ObjectNode refusal = error("Validation Failed");
                    refusal.putArray("errors").addObject().put("resource", "PullRequest").put("code", "custom")
                            .put("message", "A pull request already exists for " + owner + ":" + head + ".");
                    return Reply.of(422, refusal, template);
                }
                FakePullRequest pr = create(head, base, body.path("title").asText(), body.path("body").asText(""),
                        body.path("draft").asBoolean(false));
                return new Reply(201, pullRequest(pr, true), Map.of("Location", apiUrl() + "/repos/" + owner + "/" + repo + "/pulls/" + pr.number),
                        Optional.of(template));
            }
            case "GET " + PULL:
                return find(parameters.get(2)).map(pr -> Reply.of(200, pullRequest(pr, true), template))
                        .orElseGet(() -> Reply.of(404, error("Not Found"), template));
            case "PATCH " + PULL: {
                Optional<FakePullRequest> found = find(parameters.get(2));
                if (found.isEmpty()) {
                    return new Reply(404, error("Not Found"), Map.of(), Optional.empty());
                }
                FakePullRequest pr = found.get();
                JsonNode body = call.body();
                if (body.has("title")) {
                    pr.title = body.get("title").asText();
                }
                if (body.has("body")) {
                    pr.body = body.get("body").asText();
                }
                pr.updatedAt = Instant.now();
                return Reply.of(200, pullRequest(pr, true), template);
            }
            case "POST " + LABELS: {
                Optional<FakePullRequest> found = find(parameters.get(2));
                if (found.isEmpty()) {
                    return Reply.of(404, error("Not Found"), template);
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

    private ObjectNode pullRequest(FakePullRequest pr, boolean full) {
        String api = apiUrl() + "/repos/" + owner + "/" + repo;
        String self = api + "/pulls/" + pr.number;
        ObjectNode json = object();
        json.put("url", self).put("id", pr.id).put("node_id", "PR_" + pr.id).put("html_url", webUrl(pr.number))
                .put("diff_url", webUrl(pr.number) + ".diff").put("patch_url", webUrl(pr.number) + ".patch")
                .put("issue_url", api + "/issues/" + pr.number).put("commits_url", self + "/commits")
                .put("review_comments_url", self + "/comments").put("review_comment_url", api + "/pulls/comments{/number}")
                .put("comments_url", api + "/issues/" + pr.number + "/comments")
                .put("statuses_url", api + "/statuses/0000000000000000000000000000000000000000")
                .put("number", pr.number).put("state", pr.state == FakePullRequest.State.OPEN ? "open" : "closed")
                .put("locked", false).put("title", pr.title);
        json.set("user", user("gitops-bot"));
        json.put("body", pr.body);
        ArrayNode labels = json.putArray("labels");
        pr.labels().forEach(name -> labels.add(label(name)));
        json.putNull("milestone");
        json.put("created_at", time(pr.createdAt)).put("updated_at", time(pr.updatedAt));
        putTime(json, "closed_at", pr.closedAt);
        putTime(json, "merged_at", pr.state == FakePullRequest.State.MERGED ? pr.closedAt : null);
        if (pr.mergeCommit != null) {
            json.put("merge_commit_sha", pr.mergeCommit);
        } else {
            json.putNull("merge_commit_sha");
        }
        json.putNull("assignee");
        json.putArray("assignees");
        json.putArray("requested_reviewers");
        json.set("head", branch(pr.head));
        json.set("base", branch(pr.base));
        ObjectNode links = json.putObject("_links");
        for (String[] link : new String[][] {{"self", self}, {"html", webUrl(pr.number)}, {"issue", api + "/issues/" + pr.number},
                {"comments", api + "/issues/" + pr.number + "/comments"}, {"review_comments", self + "/comments"},
                {"review_comment", api + "/pulls/comments{/number}"}, {"commits", self + "/commits"},
                {"statuses", api + "/statuses/0000000000000000000000000000000000000000"}}) {
            links.putObject(link[0]).put("href", link[1]);
        }
        json.put("author_association", "CONTRIBUTOR");
        json.putNull("auto_merge");
        json.put("draft", pr.draft);
        if (full) {
            json.put("merged", pr.state == FakePullRequest.State.MERGED);
            json.putNull("mergeable");
            json.put("mergeable_state", "unknown");
            if (pr.state == FakePullRequest.State.MERGED) {
                json.set("merged_by", user("reviewer"));
            } else {
                json.putNull("merged_by");
            }
            json.put("comments", 0).put("review_comments", 0).put("maintainer_can_modify", false)
                    .put("commits", 1).put("additions", 1).put("deletions", 1).put("changed_files", 1);
        }
        return json;
    }

    private ObjectNode branch(String ref) {
        ObjectNode branch = object().put("label", owner + ":" + ref).put("ref", ref)
                .put("sha", "0000000000000000000000000000000000000000");
        branch.set("repo", repository());
        branch.set("user", user(owner));
        return branch;
    }

    private ObjectNode repository() {
        String api = apiUrl() + "/repos/" + owner + "/" + repo;
        String web = origin() + "/" + owner + "/" + repo;
        ObjectNode json = object().put("id", 1296269).put("node_id", "R_1296269").put("name", repo).put("full_name", owner + "/" + repo);
        json.set("owner", user(owner));
        json.put("private", true).put("html_url", web).putNull("description");
        json.put("fork", false).put("url", api);
        for (String name : List.of("archive", "assignees", "blobs", "branches", "collaborators", "comments", "commits", "compare",
                "contents", "contributors", "deployments", "downloads", "events", "forks", "git_commits", "git_refs", "git_tags",
                "hooks", "issue_comment", "issue_events", "issues", "keys", "labels", "languages", "merges", "milestones",
                "notifications", "pulls", "releases", "stargazers", "statuses", "subscribers", "subscription", "tags", "teams", "trees")) {
            json.put(name + "_url", api + "/" + name.replace('_', '/'));
        }
        json.put("clone_url", web + ".git").put("git_url", "git://127.0.0.1/" + owner + "/" + repo + ".git")
                .put("ssh_url", "git@127.0.0.1:" + owner + "/" + repo + ".git").put("svn_url", web).putNull("mirror_url")
                .putNull("homepage").putNull("language")
                .put("forks", 0).put("forks_count", 0).put("stargazers_count", 0).put("watchers_count", 0).put("watchers", 0)
                .put("size", 1).put("default_branch", "main").put("open_issues", 0).put("open_issues_count", 0)
                .put("has_issues", true).put("has_projects", false).put("has_wiki", false).put("has_pages", false)
                .put("has_downloads", false).put("archived", false).put("disabled", false).putNull("license")
                .put("pushed_at", time(Instant.now())).put("created_at", "2020-01-01T00:00:00Z").put("updated_at", time(Instant.now()));
        return json;
    }

    private ObjectNode user(String login) {
        String api = apiUrl() + "/users/" + login;
        return object().put("login", login).put("id", Math.abs(login.hashCode())).put("node_id", "U_" + login)
                .put("avatar_url", origin() + "/avatars/" + login).put("gravatar_id", "").put("url", api)
                .put("html_url", origin() + "/" + login).put("followers_url", api + "/followers")
                .put("following_url", api + "/following{/other_user}").put("gists_url", api + "/gists{/gist_id}")
                .put("starred_url", api + "/starred{/owner}{/repo}").put("subscriptions_url", api + "/subscriptions")
                .put("organizations_url", api + "/orgs").put("repos_url", api + "/repos")
                .put("events_url", api + "/events{/privacy}").put("received_events_url", api + "/received_events")
                .put("type", "User").put("site_admin", false);
    }

    private ObjectNode label(String name) {
        return object().put("id", Math.abs(name.hashCode())).put("node_id", "LA_" + name)
                .put("url", apiUrl() + "/repos/" + owner + "/" + repo + "/labels/" + name).put("name", name)
                .put("description", "").put("color", "ededed").put("default", false);
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void putTime(ObjectNode json, String field, Instant instant) {
        if (instant == null) {
            json.putNull(field);
        } else {
            json.put(field, time(instant));
        }
    }
}
