package io.jenkins.plugins.gitops.core.pullrequest;

import static io.jenkins.plugins.gitops.core.pullrequest.ApiTransport.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** GitHub's and GitHub Enterprise Server's REST API (pulls, issue labels), version 2022-11-28. */
final class GitHubApi implements PullRequestApi {

    private final ForgeRepository repository;
    private final ApiTransport transport;
    private final String owner;
    private final String repo;

    GitHubApi(ForgeRepository repository, String token, HttpClient http, Settings settings) {
        this.repository = repository;
        this.transport = new ApiTransport(Provider.GITHUB, repository.apiBase(), Map.of(
                "Authorization", "Bearer " + token,
                "Accept", "application/vnd.github+json",
                "X-GitHub-Api-Version", "2022-11-28"), token, http, settings);
        this.owner = repository.project().substring(0, repository.project().indexOf('/'));
        this.repo = repository.project().substring(repository.project().indexOf('/') + 1);
    }

    @Override
    public ForgeRepository repository() {
        return repository;
    }

    private String repositoryPath() {
        return "/repos/" + encode(owner) + "/" + encode(repo);
    }

    private String pulls() {
        return repositoryPath() + "/pulls";
    }

    @Override
    public CompletableFuture<Optional<PullRequest>> findOpen(String head, String base) {
        String query = "?state=open&head=" + encode(owner + ":" + head) + "&base=" + encode(base) + "&per_page=100";
        return transport.send("GET", pulls() + query, Optional.empty()).thenApply(answer -> {
            if (!answer.ok()) {
                throw new CompletionException(transport.unexpected(answer, "repository " + repository.project()));
            }
            for (JsonNode pr : answer.body()) {
                if (head.equals(pr.path("head").path("ref").asText()) && base.equals(pr.path("base").path("ref").asText())) {
                    return Optional.of(read(pr));
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public CompletableFuture<Optional<PullRequest>> create(PullRequestSpec spec) {
        ObjectNode body = ApiTransport.JSON.createObjectNode()
                .put("title", spec.title()).put("head", spec.head()).put("base", spec.base()).put("body", spec.body());
        if (spec.draft()) {
            body.put("draft", true);
        }
        return transport.send("POST", pulls(), Optional.of(body)).thenCompose(answer -> {
            if (answer.status() == 422) {
                String message = ApiTransport.message(answer);
                if (message.contains("already exists")) {
                    return CompletableFuture.completedFuture(Optional.<PullRequest>empty());
                }
                if (message.contains("No commits between")) {
                    throw new CompletionException(new PullRequestException(PullRequestException.Kind.NOTHING_TO_MERGE,
                            "GitHub opened no pull request: " + spec.head() + " has no commits that " + spec.base() + " lacks."));
                }
            }
            if (answer.status() != 201) {
                throw new CompletionException(transport.unexpected(answer, "repository " + repository.project() + " to open a pull request in"));
            }
            PullRequest created = read(answer.body());
            return transport.addLabels(repositoryPath(), created, spec.labels()).thenApply(Optional::of);
        });
    }

    @Override
    public CompletableFuture<PullRequest> update(PullRequest open, PullRequestSpec spec) {
        ObjectNode body = ApiTransport.JSON.createObjectNode().put("title", spec.title()).put("body", spec.body());
        return transport.send("PATCH", pulls() + "/" + open.number(), Optional.of(body)).thenCompose(answer -> {
            if (answer.status() != 200) {
                throw new CompletionException(transport.unexpected(answer, "pull request #" + open.number()));
            }
            return transport.addLabels(repositoryPath(), read(answer.body()), spec.labels());
        });
    }


    @Override
    public CompletableFuture<PullRequest> get(long number) {
        return transport.send("GET", pulls() + "/" + number, Optional.empty()).thenApply(answer -> {
            if (answer.status() != 200) {
                throw new CompletionException(transport.unexpected(answer, "pull request #" + number + " in " + repository.project()));
            }
            return read(answer.body());
        });
    }

    /** A pull request or its simple form (in lists, without {@code merged}: {@code merged_at} tells). */
    private static PullRequest read(JsonNode pr) {
        boolean merged = pr.path("merged").asBoolean(false) || pr.hasNonNull("merged_at");
        PullRequest.State state = merged ? PullRequest.State.MERGED
                : "open".equals(pr.path("state").asText()) ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        return new PullRequest(pr.path("number").asLong(), pr.path("html_url").asText(), state,
                pr.path("head").path("ref").asText(), pr.path("base").path("ref").asText(), pr.path("title").asText(),
                merged ? Optional.ofNullable(pr.path("merge_commit_sha").textValue()).filter(s -> !s.isEmpty()) : Optional.empty());
    }
}
