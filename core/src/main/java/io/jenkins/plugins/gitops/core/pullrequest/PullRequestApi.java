package io.jenkins.plugins.gitops.core.pullrequest;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The pull request calls of one repository on its hosting service. Every call is asynchronous on the injected
 * {@link HttpClient} and fails with a {@link PullRequestException}.
 */
public sealed interface PullRequestApi permits GitHubApi, GitLabApi, GiteaApi {

    /**
     * Timing of the calls.
     *
     * @param callTimeout      how long one call may take
     * @param maxRateLimitWait the longest a call waits for a rate limit to reset before it fails
     * @param clock            to read the reset times against
     */
    record Settings(Duration callTimeout, Duration maxRateLimitWait, Clock clock) {
        public Settings {
            Objects.requireNonNull(callTimeout, "callTimeout");
            Objects.requireNonNull(maxRateLimitWait, "maxRateLimitWait");
            Objects.requireNonNull(clock, "clock");
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(60), Clock.systemUTC());
        }

        public Settings withMaxRateLimitWait(Duration wait) {
            return new Settings(callTimeout, wait, clock);
        }
    }

    /** The result of {@link #upsert}: the pull request, and whether this call opened it. */
    record Upserted(PullRequest pullRequest, boolean created) {}

    /**
     * The client for {@code repository}'s provider.
     *
     * @param token a personal or project access token; it travels in a header and is registered with
     *              {@link io.jenkins.plugins.gitops.core.redaction.Redaction}
     */
    static PullRequestApi connect(ForgeRepository repository, String token, HttpClient http, Settings settings) {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(settings, "settings");
        if (token == null || token.isBlank()) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                    "No token for the " + repository.provider().displayName() + " API: " + repository.provider().requestNoun()
                            + "s need one.");
        }
        return switch (repository.provider()) {
            case GITHUB -> new GitHubApi(repository, token.strip(), http, settings);
            case GITLAB -> new GitLabApi(repository, token.strip(), http, settings);
            case GITEA -> new GiteaApi(repository, token.strip(), http, settings);
        };
    }

    ForgeRepository repository();

    /** The open pull request from {@code head} into {@code base}, if there is one. */
    CompletableFuture<Optional<PullRequest>> findOpen(String head, String base);

    /**
     * Opens a pull request; completes with empty when the service answers that one is open already for the same
     * branches (GitHub's 422, GitLab's and Gitea's 409), which a concurrent upsert may have opened a moment ago.
     */
    CompletableFuture<Optional<PullRequest>> create(PullRequestSpec spec);

    /** Sets the open pull request's title and body to the spec's and adds its labels. */
    CompletableFuture<PullRequest> update(PullRequest open, PullRequestSpec spec);

    /** Reads a pull request by its number (GitLab: {@code iid}). */
    CompletableFuture<PullRequest> get(long number);

    /**
     * Reuses the open pull request from the spec's head into its base (new title and body, labels added), or opens
     * one. When two upserts race, the one whose creation the service refuses as a duplicate reuses the other's.
     */
    default CompletableFuture<Upserted> upsert(PullRequestSpec spec) {
        return findOpen(spec.head(), spec.base()).thenCompose(open -> open.isPresent()
                ? reuse(open.get(), spec)
                : create(spec).thenCompose(created -> created.isPresent()
                        ? CompletableFuture.completedFuture(new Upserted(created.get(), true))
                        : findOpen(spec.head(), spec.base()).thenCompose(raced -> reuse(raced.orElseThrow(() ->
                                new CompletionException(new PullRequestException(PullRequestException.Kind.API,
                                        repository().provider().displayName() + " says a " + repository().provider().requestNoun()
                                                + " from " + spec.head() + " into " + spec.base()
                                                + " exists already, but lists no open one."))), spec))));
    }

    private CompletableFuture<Upserted> reuse(PullRequest open, PullRequestSpec spec) {
        return update(open, spec).thenApply(updated -> new Upserted(updated, false));
    }

    /** Waits for {@code future}, unwrapping the {@link PullRequestException} it failed with. */
    static <T> T join(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new PullRequestException(PullRequestException.Kind.API, String.valueOf(cause), cause);
        }
    }
}
