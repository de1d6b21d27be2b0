package io.jenkins.plugins.gitops.core.pullrequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * JSON over the JDK {@code HttpClient} for one provider: the token in a header (never in a URL), errors turned into
 * {@link PullRequestException}s that name the call but never the token, and rate-limit answers (403/429 with a reset
 * or {@code Retry-After} header) waited out when the wait is short enough, else a clear error.
 */
final class ApiTransport {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE_LIMIT_RETRIES = 3;

    /** An answer: status, parsed body ({@link MissingNode} when empty or not JSON), headers. */
    record Answer(int status, JsonNode body, HttpHeaders headers) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final Provider provider;
    private final URI base;
    private final Map<String, String> headers;
    private final HttpClient http;
    private final PullRequestApi.Settings settings;

    /**
     * @param headers sent with every call, the authorization header among them; its value is registered with
     *                {@link Redaction} for as long as this transport lives
     */
    ApiTransport(Provider provider, URI base, Map<String, String> headers, String token, HttpClient http, PullRequestApi.Settings settings) {
        this.provider = provider;
        this.base = base;
        this.headers = Map.copyOf(headers);
        this.http = http;
        this.settings = settings;
        Redaction.register(this, token);
    }

    Provider provider() {
        return provider;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Adds labels to a pull request through the issue it also is, as GitHub and Gitea both label one
     * ({@code POST <repository>/issues/<number>/labels}); completes with {@code pr}.
     */
    CompletableFuture<PullRequest> addLabels(String repositoryPath, PullRequest pr, List<String> labels) {
        if (labels.isEmpty()) {
            return CompletableFuture.completedFuture(pr);
        }
        ObjectNode body = JSON.createObjectNode();
        labels.forEach(body.putArray("labels")::add);
        return send("POST", repositoryPath + "/issues/" + pr.number() + "/labels", Optional.of(body)).thenApply(answer -> {
            if (answer.status() != 200) {
                throw new CompletionException(unexpected(answer, "pull request #" + pr.number() + " to label"));
            }
            return pr;
        });
    }

    /** Sends one call; completes with any answer but 401, 403 and a rate limit not waited out, which fail. */
    CompletableFuture<Answer> send(String method, String path, Optional<JsonNode> body) {
        return attempt(method, path, body, RATE_LIMIT_RETRIES);
    }

    private CompletableFuture<Answer> attempt(String method, String path, Optional<JsonNode> body, int retries) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(settings.callTimeout())
                .header("Accept", "application/json");
        headers.forEach(request::header);
        if (body.isPresent()) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.get().toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String what = method + " " + path.replaceAll("\\?.*", "");
        return exchange(request.build(), what).thenCompose(answer -> {
            Optional<Duration> limited = rateLimitWait(answer);
            if (limited.isPresent()) {
                Duration wait = limited.get();
                if (retries > 0 && wait.compareTo(settings.maxRateLimitWait()) <= 0) {
                    return CompletableFuture.supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> attempt(method, path, body, retries - 1));
                }
                throw new CompletionException(new PullRequestException(PullRequestException.Kind.RATE_LIMITED,
                        provider.displayName() + "'s rate limit for this token is used up (" + answer.status() + " on " + what
                                + "); it resets at " + DateTimeFormatter.ISO_INSTANT.format(
                                        Instant.now(settings.clock()).plus(wait).atZone(ZoneOffset.UTC).withNano(0))
                                + ", in " + wait.toSeconds() + " s, longer than the " + settings.maxRateLimitWait().toSeconds()
                                + " s this call may wait. Run again later, or use a token of its own for the pipeline."));
            }
            if (answer.status() == 401) {
                throw new CompletionException(new PullRequestException(PullRequestException.Kind.AUTHENTICATION,
                        provider.displayName() + " refused the token (401" + message(answer) + ") on " + what
                                + ". Check that the token is valid and not expired."));
            }
            if (answer.status() == 403) {
                throw new CompletionException(new PullRequestException(PullRequestException.Kind.AUTHENTICATION,
                        provider.displayName() + " denied " + what + " (403" + message(answer) + "): the token lacks the"
                                + " permission to read and write " + provider.requestNoun() + "s of this repository."));
            }
            return CompletableFuture.completedFuture(answer);
        });
    }

    /** The failure for an answer its caller did not expect. */
    PullRequestException unexpected(Answer answer, String what) {
        if (answer.status() == 404) {
            return new PullRequestException(PullRequestException.Kind.NOT_FOUND, provider.displayName() + " has no "
                    + what + " (404" + message(answer) + "), or the token cannot see it. Check the repository path and the API URL " + base + ".");
        }
        return new PullRequestException(PullRequestException.Kind.API,
                provider.displayName() + " answered " + answer.status() + message(answer) + " to " + what + ".");
    }

    /** {@code ": text"} of the error's {@code message} (GitLab's may be a list or an object), or nothing. */
    static String message(Answer answer) {
        JsonNode message = answer.body().path("message");
        if (message.isMissingNode() || message.isNull()) {
            message = answer.body().path("error");
        }
        StringBuilder joined = new StringBuilder(message.isTextual() ? message.asText()
                : message.isMissingNode() || message.isNull() ? "" : message.toString());
        for (JsonNode error : answer.body().path("errors")) {
            String detail = error.path("message").asText(error.isTextual() ? error.asText() : "");
            if (!detail.isEmpty()) {
                joined.append(joined.length() == 0 ? "" : ": ").append(detail);
            }
        }
        String text = joined.toString().strip();
        return text.isEmpty() ? "" : ": " + Redaction.apply(text.length() > 300 ? text.substring(0, 297) + "..." : text);
    }

    /**
     * How long a rate-limit answer asks to wait: {@code Retry-After} seconds, else the reset time
     * ({@code X-RateLimit-Reset} on GitHub and Gitea, {@code RateLimit-Reset} on GitLab, epoch seconds); empty when
     * the answer is not a rate limit. A 403 counts only with the remaining count at 0 or a {@code Retry-After}.
     */
    private Optional<Duration> rateLimitWait(Answer answer) {
        HttpHeaders h = answer.headers();
        OptionalLong retryAfter = number(h, "retry-after");
        boolean exhausted = h.firstValue("x-ratelimit-remaining").or(() -> h.firstValue("ratelimit-remaining"))
                .map(String::strip).filter("0"::equals).isPresent();
        if (answer.status() != 429 && !(answer.status() == 403 && (exhausted || retryAfter.isPresent()))) {
            return Optional.empty();
        }
        if (retryAfter.isPresent()) {
            return Optional.of(Duration.ofSeconds(Math.max(0, retryAfter.getAsLong())));
        }
        OptionalLong reset = number(h, "x-ratelimit-reset");
        if (reset.isEmpty()) {
            reset = number(h, "ratelimit-reset");
        }
        if (reset.isPresent()) {
            long seconds = reset.getAsLong() - Instant.now(settings.clock()).getEpochSecond();
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds) + 1));
        }
        return Optional.of(Duration.ofSeconds(60)); // a 429 without a hint: GitHub documents waiting a minute
    }

    private static OptionalLong number(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get().strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Sends {@code request} and completes with its answer on a thread of the HttpClient's executor (not the common
     * pool's, which below three CPUs is a new thread per answer).
     */
    private CompletableFuture<Answer> exchange(HttpRequest request, String what) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        http.sendAsync(request, info -> HttpResponse.BodySubscribers.mapping(
                        HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8), body -> {
                            answer.complete(new Answer(info.statusCode(), parse(body), info.headers()));
                            return null;
                        }))
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        answer.completeExceptionally(new PullRequestException(PullRequestException.Kind.API,
                                "Cannot reach " + provider.displayName() + " at " + base + " (" + what + "): "
                                        + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause));
                    }
                });
        return answer;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
