package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.DurationText;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.pullrequest.ForgeRepository;
import io.jenkins.plugins.gitops.core.pullrequest.MergeWaiter;
import io.jenkins.plugins.gitops.core.pullrequest.Provider;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequest;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestApi;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestFlow;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestTemplate;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Option;

/**
 * The options of {@code push} and {@code update} that commit through a pull (merge) request. The token comes from a
 * file or an environment variable, never an option's value, and is registered for redaction as it is read.
 */
final class PullRequestOptions {

    static final String ENV_TOKEN = "GITOPS_PR_TOKEN";

    private final Environment environment;

    @Option(names = "--pull-request", description = "Push to a branch of its own and open a pull (merge) request from it,"
            + " or update the open one of that branch.")
    boolean enabled;

    @Option(names = "--pr-provider", paramLabel = "NAME",
            description = "github, gitlab, gitea or forgejo (default: told by the repository's host name).")
    String provider;

    @Option(names = "--pr-api-url", paramLabel = "URL",
            description = "The API's root, e.g. https://github.example.com/api/v3 (default: the provider's usual one on the repository's host).")
    String apiUrl;

    @Option(names = "--pr-repository", paramLabel = "PATH",
            description = "The repository's path on the service, owner/name or group/subgroup/name (default: the URL's path).")
    String repository;

    @Option(names = "--pr-token-file", paramLabel = "FILE",
            description = "File holding the API token (default: $" + ENV_TOKEN + ").")
    Path tokenFile;

    @Option(names = "--pr-branch", paramLabel = "TEMPLATE",
            description = "The head branch's name (default: gitops/$${base}/$${app}/$${image}); --push-branch names it literally.")
    String branch;

    @Option(names = "--pr-title", paramLabel = "TEMPLATE", description = "The title (default: Update $${image} to $${newVersion}).")
    String title;

    @Option(names = "--pr-body", paramLabel = "TEMPLATE",
            description = "The description (default: the table of changes, the app and the build); $${changes} is the table.")
    String body;

    @Option(names = "--pr-label", paramLabel = "LABEL", description = "A label to add; repeatable.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--pr-draft", description = "Open it as a draft.")
    boolean draft;

    @Option(names = "--wait-for-merge", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait this long for the merge, e.g. 30m; then print the merge commit instead of the URL.")
    Duration waitForMerge;

    @Option(names = "--merge-poll-interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "15s",
            description = "How often to read the pull request while waiting for its merge (default: 15s).")
    Duration pollInterval;

    PullRequestOptions(Environment environment) {
        this.environment = environment;
    }

    /** The head branch: {@code --push-branch} as given, else the template rendered with the edit's values. */
    String headBranch(Optional<String> pushBranch, Map<String, String> editValues, String base) {
        if (pushBranch.isPresent()) {
            return pushBranch.get();
        }
        Map<String, String> values = new HashMap<>(editValues);
        values.put("base", base);
        return template(branch, PullRequestTemplate.DEFAULT_BRANCH, "--pr-branch").renderBranch(values);
    }

    PullRequestApi connect(String repositoryUrl, Duration timeout) {
        Optional<URI> api = Optional.ofNullable(apiUrl).map(url -> {
            try {
                return new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--pr-api-url: '" + url + "' is not a URL");
            }
        });
        ForgeRepository located = ForgeRepository.locate(repositoryUrl, Optional.ofNullable(provider).map(Provider::named), api,
                Optional.ofNullable(repository));
        String token = token().orElseThrow(() -> new IllegalArgumentException("--pr-token-file: a " + located.provider().requestNoun()
                + " needs an API token: give --pr-token-file FILE or set $" + ENV_TOKEN));
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        return PullRequestApi.connect(located, token, http, new PullRequestApi.Settings(timeout, Duration.ofSeconds(60), Clock.systemUTC()));
    }

    PullRequestFlow.Settings settings(Optional<String> buildUrl) {
        return new PullRequestFlow.Settings(template(title, PullRequestTemplate.DEFAULT_TITLE, "--pr-title"),
                template(body, PullRequestTemplate.DEFAULT_BODY, "--pr-body"), labels, draft, buildUrl);
    }

    /** Waits for the merge when asked to. */
    Optional<PullRequest> awaitMerge(PullRequestApi api, PullRequest pr, GitProgress progress) throws InterruptedException {
        if (waitForMerge == null) {
            return Optional.empty();
        }
        if (waitForMerge.isNegative()) {
            throw new IllegalArgumentException("--wait-for-merge: a duration cannot be negative");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("--merge-poll-interval: must be positive");
        }
        progress.info("Waiting up to " + DurationText.format(waitForMerge) + " for " + pr.url() + " to be merged");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gitops-merge-wait");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return Optional.of(PullRequestApi.join(new MergeWaiter(scheduler, Clock.systemUTC())
                    .start(api, pr.number(), waitForMerge, pollInterval, progress::info)));
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static PullRequestTemplate template(String text, PullRequestTemplate fallback, String option) {
        if (text == null) {
            return fallback;
        }
        try {
            return new PullRequestTemplate(text.replace("\\n", "\n"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private Optional<String> token() {
        if (tokenFile != null) {
            try {
                return Optional.of(SecretInput.registered(Files.readString(tokenFile, StandardCharsets.UTF_8).strip()))
                        .filter(t -> !t.isEmpty());
            } catch (IOException e) {
                throw new IllegalArgumentException("--pr-token-file: cannot read " + tokenFile);
            }
        }
        return environment.get(ENV_TOKEN).map(String::strip).filter(t -> !t.isEmpty()).map(SecretInput::registered);
    }
}
