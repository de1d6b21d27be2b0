package io.jenkins.plugins.gitops.core.pullrequest;

import static io.jenkins.plugins.gitops.core.pullrequest.ApiTransport.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Gitea's and Forgejo's API v1 pull requests. A draft is a {@code WIP:} title; labels are added by name through the
 * issue labels call (Gitea 1.21 and later, Forgejo).
 */
final class GiteaApi implements PullRequestApi {

    static final String DRAFT_PREFIX = "WIP: ";
    /** Gitea lists at most 50 a page by default; a repository with more open pull requests is read page by page. */
    private static final int PAGE_SIZE = 50;
    private static final int MAX_PAGES = 20;

    private final ForgeRepository repository;
    private final ApiTransport transport;
    private final String repoPath;

    GiteaApi(ForgeRepository repository, String token, HttpClient http, Settings settings) {
        this.repository = repository;
        this.transport = new ApiTransport(Provider.GITEA, repository.apiBase(), Map.of("Authorization", "token " + token), token, http, settings);
        int slash = repository.project().indexOf('/');
        this.repoPath = "/repos/" + encode(repository.project().substring(0, slash)) + "/" + encode(repository.project().substring(slash + 1));
    }

    @Override
    public ForgeRepository repository() {
        return repository;
    }

    @Override
    public CompletableFuture<Optional<PullRequest>> findOpen(String head, String base) {
        return findOpen(head, base, 1);
    }

    private CompletableFuture<Optional<PullRequest>> findOpen(String head, String base, int page) {
        String query = "?state=open&page=" + page + "&limit=" + PAGE_SIZE;
        return transport.send("GET", repoPath + "/pulls" + query, Optional.empty()).thenCompose(answer -> {
            if (!answer.ok()) {
                throw new CompletionException(transport.unexpected(answer, "repository " + repository.project()));
            }
            for (JsonNode pr : answer.body()) {
                if (head.equals(pr.path("head").path("ref").asText()) && base.equals(pr.path("base").path("ref").asText())) {
                    return CompletableFuture.completedFuture(Optional.of(read(pr)));
                }
            }
            return answer.body().size() < PAGE_SIZE || page >= MAX_PAGES
                    ? CompletableFuture.completedFuture(Optional.<PullRequest>empty())
                    : findOpen(head, base, page + 1);
        });
    }

    @Override
    public CompletableFuture<Optional<PullRequest>> create(PullRequestSpec spec) {
        ObjectNode body = ApiTransport.JSON.createObjectNode()
                .put("head", spec.head()).put("base", spec.base())
                .put("title", spec.draft() ? DRAFT_PREFIX + spec.title() : spec.title())
                .put("body", spec.body());
        return transport.send("POST", repoPath + "/pulls", Optional.of(body)).thenCompose(answer -> {
            if (answer.status() == 409) {
                return CompletableFuture.completedFuture(Optional.<PullRequest>empty());
            }
            if (answer.status() != 201) {
                throw new CompletionException(transport.unexpected(answer, "repository " + repository.project() + " to open a pull request in"));
            }
            return transport.addLabels(repoPath, read(answer.body()), spec.labels()).thenApply(Optional::of);
        });
    }

    @Override
    public CompletableFuture<PullRequest> update(PullRequest open, PullRequestSpec spec) {
        String title = open.title().startsWith(DRAFT_PREFIX) ? DRAFT_PREFIX + spec.title() : spec.title();
        ObjectNode body = ApiTransport.JSON.createObjectNode().put("title", title).put("body", spec.body());
        return transport.send("PATCH", repoPath + "/pulls/" + open.number(), Optional.of(body)).thenCompose(answer -> {
            if (answer.status() != 201 && answer.status() != 200) {
                throw new CompletionException(transport.unexpected(answer, "pull request #" + open.number()));
            }
            return transport.addLabels(repoPath, read(answer.body()), spec.labels());
        });
    }


    @Override
    public CompletableFuture<PullRequest> get(long number) {
        return transport.send("GET", repoPath + "/pulls/" + number, Optional.empty()).thenApply(answer -> {
            if (answer.status() != 200) {
                throw new CompletionException(transport.unexpected(answer, "pull request #" + number + " in " + repository.project()));
            }
            return read(answer.body());
        });
    }

    private static PullRequest read(JsonNode pr) {
        boolean merged = pr.path("merged").asBoolean(false);
        PullRequest.State state = merged ? PullRequest.State.MERGED
                : "open".equals(pr.path("state").asText()) ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        return new PullRequest(pr.path("number").asLong(), pr.path("html_url").asText(), state,
                pr.path("head").path("ref").asText(), pr.path("base").path("ref").asText(), pr.path("title").asText(),
                merged ? Optional.ofNullable(pr.path("merge_commit_sha").textValue()).filter(s -> !s.isEmpty()) : Optional.empty());
    }
}
