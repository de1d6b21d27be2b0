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
 * GitLab's REST API v4 merge requests. A merge request is addressed by its {@code iid} (the number GitLab shows, unique
 * in its project), never its global {@code id}; a draft is a {@code Draft:} title.
 */
final class GitLabApi implements PullRequestApi {

    static final String DRAFT_PREFIX = "Draft: ";

    private final ForgeRepository repository;
    private final ApiTransport transport;

    GitLabApi(ForgeRepository repository, String token, HttpClient http, Settings settings) {
        this.repository = repository;
        this.transport = new ApiTransport(Provider.GITLAB, repository.apiBase(), Map.of("PRIVATE-TOKEN", token), token, http, settings);
    }

    @Override
    public ForgeRepository repository() {
        return repository;
    }

    private String mergeRequests() {
        return "/projects/" + encode(repository.project()) + "/merge_requests";
    }

    @Override
    public CompletableFuture<Optional<PullRequest>> findOpen(String head, String base) {
        String query = "?state=opened&source_branch=" + encode(head) + "&target_branch=" + encode(base) + "&per_page=100";
        return transport.send("GET", mergeRequests() + query, Optional.empty()).thenApply(answer -> {
            if (!answer.ok()) {
                throw new CompletionException(transport.unexpected(answer, "project " + repository.project()));
            }
            for (JsonNode mr : answer.body()) {
                if (head.equals(mr.path("source_branch").asText()) && base.equals(mr.path("target_branch").asText())) {
                    return Optional.of(read(mr));
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public CompletableFuture<Optional<PullRequest>> create(PullRequestSpec spec) {
        ObjectNode body = ApiTransport.JSON.createObjectNode()
                .put("source_branch", spec.head()).put("target_branch", spec.base())
                .put("title", spec.draft() ? DRAFT_PREFIX + spec.title() : spec.title())
                .put("description", spec.body());
        if (!spec.labels().isEmpty()) {
            body.put("labels", String.join(",", spec.labels()));
        }
        return transport.send("POST", mergeRequests(), Optional.of(body)).thenApply(answer -> {
            if (answer.status() == 409) {
                return Optional.empty();
            }
            if (answer.status() != 201) {
                throw new CompletionException(transport.unexpected(answer, "project " + repository.project() + " to open a merge request in"));
            }
            return Optional.of(read(answer.body()));
        });
    }

    @Override
    public CompletableFuture<PullRequest> update(PullRequest open, PullRequestSpec spec) {
        // a draft stays one: reviewers decide when it is ready
        String title = open.title().startsWith(DRAFT_PREFIX) ? DRAFT_PREFIX + spec.title() : spec.title();
        ObjectNode body = ApiTransport.JSON.createObjectNode().put("title", title).put("description", spec.body());
        if (!spec.labels().isEmpty()) {
            body.put("add_labels", String.join(",", spec.labels()));
        }
        return transport.send("PUT", mergeRequests() + "/" + open.number(), Optional.of(body)).thenApply(answer -> {
            if (answer.status() != 200) {
                throw new CompletionException(transport.unexpected(answer, "merge request !" + open.number()));
            }
            return read(answer.body());
        });
    }

    @Override
    public CompletableFuture<PullRequest> get(long number) {
        return transport.send("GET", mergeRequests() + "/" + number, Optional.empty()).thenApply(answer -> {
            if (answer.status() != 200) {
                throw new CompletionException(transport.unexpected(answer, "merge request !" + number + " in " + repository.project()));
            }
            return read(answer.body());
        });
    }

    /** State {@code opened}, {@code merged}, {@code closed} or {@code locked} (a transient state while merging). */
    private static PullRequest read(JsonNode mr) {
        String state = mr.path("state").asText();
        PullRequest.State kind = switch (state) {
            case "merged" -> PullRequest.State.MERGED;
            case "closed" -> PullRequest.State.CLOSED;
            default -> PullRequest.State.OPEN;
        };
        Optional<String> commit = kind != PullRequest.State.MERGED ? Optional.empty()
                : Optional.ofNullable(mr.path("merge_commit_sha").textValue())
                        .or(() -> Optional.ofNullable(mr.path("squash_commit_sha").textValue()))
                        .filter(s -> !s.isEmpty());
        return new PullRequest(mr.path("iid").asLong(), mr.path("web_url").asText(), kind,
                mr.path("source_branch").asText(), mr.path("target_branch").asText(), mr.path("title").asText(), commit);
    }
}
