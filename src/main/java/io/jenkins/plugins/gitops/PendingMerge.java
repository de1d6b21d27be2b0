package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gitops.core.pullrequest.ForgeRepository;
import io.jenkins.plugins.gitops.core.pullrequest.MergeWaiter;
import io.jenkins.plugins.gitops.core.pullrequest.Provider;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequest;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestApi;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestException;
import io.jenkins.plugins.gitops.credentials.ArgoCdConnections;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import jenkins.util.SystemProperties;

/**
 * The wait of {@code gitopsPush waitForMerge:} for the merge of the pull request it opened or updated, shared by the
 * Pipeline step (asynchronous, resumed after a restart) and the freestyle build step (which holds its executor).
 * Holds only what survives a restart: ids, the pull request's number and the deadline; the token is looked up again
 * each time the wait attaches.
 *
 * <p>The wait runs on the controller, not on the agent that pushed. On the agent it would be a remoting call held
 * open for up to the whole timeout, with a thread there, and it would end with the agent's connection or a restart
 * of the controller, with nothing to resume. On the controller it is one short read per poll on the plugin's shared
 * scheduler ({@link SyncThreads}), and it re-attaches after a restart. Calling the forge from the controller follows
 * the rules of {@code gitopsSync url:}: the API URL and the token come from the job, and the token is the job's own
 * credential, looked up in the build's context ({@link BuildCredentials}), never the controller's identity. The calls
 * are reads of the one pull request of the job's repository. They go through the Jenkins proxy and follow no
 * redirect ({@link ArgoCdConnections#sharedHttpClient}), and only its state and URL reach the log.
 *
 * <p>A class rather than a record: it is part of the Pipeline program's state, which JBoss Marshalling writes and
 * reads field by field.
 */
final class PendingMerge implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The config repository's URL, user info dropped: it locates the project on the forge. */
    private final String repository;
    /** As given to the step; null: told by the host. */
    @CheckForNull
    private final String provider;
    /** As given to the step; null: the provider's usual one. */
    @CheckForNull
    private final String apiUrl;
    private final String credentialsId;
    /** The pull request's number (GitLab: its {@code iid}). */
    private final long number;
    private final String url;
    /** How long the step was asked to wait. */
    private final long timeoutMillis;
    /** When the wait gives up, in {@link System#currentTimeMillis()} time: the timeout from when the push ended. */
    private final long deadlineMillis;
    /** What the step returns, before the merge commit replaces {@code sha}. */
    private final LinkedHashMap<String, Object> value;

    PendingMerge(String repository, @CheckForNull String provider, @CheckForNull String apiUrl, String credentialsId,
            long number, String url, Duration timeout, LinkedHashMap<String, Object> value) {
        this.repository = repository;
        this.provider = provider;
        this.apiUrl = apiUrl;
        this.credentialsId = credentialsId;
        this.number = number;
        this.url = url;
        this.timeoutMillis = timeout.toMillis();
        this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
        this.value = new LinkedHashMap<>(value);
    }

    String url() {
        return url;
    }

    long deadlineMillis() {
        return deadlineMillis;
    }

    /** How often the pull request is read; a system property so that tests need not wait 15 s per poll. */
    static Duration pollInterval() {
        return Duration.ofSeconds(SystemProperties.getLong(PendingMerge.class.getName() + ".pollSeconds", 15L));
    }

    /** After a restart past the deadline, one last look before giving up. */
    private static final Duration RESUME_GRACE = Duration.ofSeconds(30);

    /**
     * Looks the token up in the build's context and starts the wait on the plugin's scheduler; it completes with the
     * merged pull request, or fails with the engine's reason ({@link #failure}). Cancelling it stops the wait.
     */
    CompletableFuture<PullRequest> start(Run<?, ?> run, TaskListener listener, boolean resumed) throws IOException {
        BuildCredentials credentials = new BuildCredentials(run);
        String token = credentials.apiToken(credentialsId, repository);
        PrintStream log = credentials.mask(listener).getLogger();
        PullRequestApi api;
        try {
            ForgeRepository located = ForgeRepository.locate(repository, Optional.ofNullable(provider).map(Provider::named),
                    Optional.ofNullable(apiUrl).map(URI::create), Optional.empty());
            api = PullRequestApi.connect(located, token, ArgoCdConnections.sharedHttpClient(null, false),
                    PullRequestApi.Settings.defaults());
        } catch (PullRequestException | IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        // The first wait gets the whole timeout, so that its messages say what the step was asked for; a resumed one
        // what is left of it.
        long left = resumed ? deadlineMillis - System.currentTimeMillis() : timeoutMillis;
        Duration remaining = left > 0 ? Duration.ofMillis(left) : RESUME_GRACE;
        log.println(resumed
                ? Messages.PendingMerge_resuming(url, Util.getTimeSpanString(remaining.toMillis()))
                : Messages.PendingMerge_waiting(url, Util.getTimeSpanString(remaining.toMillis())));
        return new MergeWaiter(SyncThreads.get().scheduler(), Clock.systemUTC())
                .start(api, number, remaining, pollInterval(), log::println);
    }

    /** The freestyle build step's wait: holds the executor until the merge; an interruption stops the wait. */
    Map<String, Object> await(Run<?, ?> run, TaskListener listener) throws IOException, InterruptedException {
        CompletableFuture<PullRequest> wait = start(run, listener, false);
        try {
            return merged(run, wait.get());
        } catch (InterruptedException e) {
            wait.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = failure(e.getCause());
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
    }

    /** Records the merge commit on the build (so that {@code gitopsSync} expects it) and returns the step's value. */
    Map<String, Object> merged(Run<?, ?> run, PullRequest pullRequest) throws IOException {
        LinkedHashMap<String, Object> merged = new LinkedHashMap<>(value);
        String mergeCommit = pullRequest.mergeCommit().orElse(null);
        merged.put("sha", mergeCommit);
        merged.put("merged", true);
        GitopsDeploymentAction.of(run).recordMerge(url, mergeCommit);
        return merged;
    }

    /**
     * Why the wait failed, for the build: the engine's refusals (closed unmerged, timeout, a refused token) as an
     * {@link AbortException}, whose message says it all without a stack trace.
     */
    static Throwable failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof PullRequestException ? new AbortException(cause.getMessage()) : cause;
    }
}
