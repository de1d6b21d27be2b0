package io.jenkins.plugins.gitops.core.git;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Commit and push an edit race-safely: apply -> commit -> push; when another pusher got there first, fetch the
 * new tip, reset to it, apply the same edit again, and push again, waiting a jittered, growing delay between
 * attempts. Never forces. Stops at once on a refusal that retrying cannot fix.
 */
public final class UpdateLoop {

    public static final int DEFAULT_MAX_ATTEMPTS = 10;

    /**
     * @param maxAttempts how many pushes to try before giving up (at least 1)
     * @param buildUrl    the CI build to name in the commit message, when there is one
     */
    public record Settings(
            int maxAttempts,
            Backoff backoff,
            CommitMessageTemplate message,
            CommitIdentity author,
            CommitIdentity committer,
            Optional<CommitSigning> signing,
            Optional<String> buildUrl) {

        public Settings {
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(committer, "committer");
            Objects.requireNonNull(signing, "signing");
            Objects.requireNonNull(buildUrl, "buildUrl");
            if (maxAttempts < 1) {
                throw new GitOperationException(
                        GitOperationException.Kind.BAD_INPUT, "The number of push attempts must be at least 1, not " + maxAttempts + ".");
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_MAX_ATTEMPTS, Backoff.defaults(), CommitMessageTemplate.DEFAULT,
                    CommitIdentity.DEFAULT, CommitIdentity.DEFAULT, Optional.empty(), Optional.empty());
        }

        public Settings withMaxAttempts(int attempts) {
            return new Settings(attempts, backoff, message, author, committer, signing, buildUrl);
        }

        public Settings withBackoff(Backoff wait) {
            return new Settings(maxAttempts, wait, message, author, committer, signing, buildUrl);
        }

        public Settings withMessage(CommitMessageTemplate template) {
            return new Settings(maxAttempts, backoff, template, author, committer, signing, buildUrl);
        }

        public Settings withIdentities(CommitIdentity newAuthor, CommitIdentity newCommitter) {
            return new Settings(maxAttempts, backoff, message, newAuthor, newCommitter, signing, buildUrl);
        }

        public Settings withSigning(Optional<CommitSigning> sign) {
            return new Settings(maxAttempts, backoff, message, author, committer, sign, buildUrl);
        }

        public Settings withBuildUrl(Optional<String> url) {
            return new Settings(maxAttempts, backoff, message, author, committer, signing, url);
        }
    }

    private final Settings settings;
    private final GitProgress progress;

    public UpdateLoop(Settings settings, GitProgress progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Applies {@code edit} to the checkout (fresh from the remote), then commits and pushes it. */
    public UpdateResult run(ConfigRepository repository, WorkTreeEdit edit) {
        return loop(repository, Optional.of(edit), Optional.empty());
    }

    /**
     * Commits and pushes changes already in the work tree ({@code applied}, e.g. made by an earlier
     * {@code gitops set-image}); after a lost race, applies {@code edit} to the new tip. Without an edit a lost
     * race ends the loop before anything is reset, since there would be nothing to re-apply.
     */
    public UpdateResult runApplied(ConfigRepository repository, EditOutcome applied, Optional<WorkTreeEdit> edit) {
        return loop(repository, edit, Optional.of(applied));
    }

    private UpdateResult loop(ConfigRepository repository, Optional<WorkTreeEdit> edit, Optional<EditOutcome> applied) {
        String branch = repository.pushBranch();
        String lastRace = "";
        Duration lastAttempt = Duration.ZERO;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            EditOutcome outcome;
            long started = System.nanoTime();
            if (attempt == 1 && applied.isPresent()) {
                outcome = applied.get();
            } else {
                if (attempt > 1) {
                    settings.backoff().pause(attempt - 1, lastAttempt);
                    started = System.nanoTime();
                    String tip = repository.resetToRemote();
                    progress.info("Re-applying the edit on " + branch + " at " + tip.substring(0, 12)
                            + " (attempt " + attempt + " of " + settings.maxAttempts() + ")");
                }
                outcome = apply(edit.orElseThrow(), repository);
            }
            if (!outcome.changed()) {
                return noChange(branch, attempt);
            }
            repository.stage(outcome.changedFiles());
            Optional<String> commit = repository.commit(new CommitSpec(
                    settings.message().render(messageValues(outcome)),
                    settings.author(), settings.committer(), settings.signing()));
            if (commit.isEmpty()) {
                return noChange(branch, attempt);
            }
            PushOutcome pushed = repository.push();
            if (pushed instanceof PushOutcome.Accepted accepted) {
                progress.info("Pushed " + accepted.commit() + " to " + branch
                        + (attempt == 1 ? "" : " after " + attempt + " attempts"));
                return new UpdateResult.Pushed(accepted.commit(), branch, attempt, outcome.changedFiles());
            }
            if (pushed instanceof PushOutcome.AlreadyOnBranch) {
                return noChange(branch, attempt, "nothing to change: another push already brought " + branch
                        + " to the requested values, with this very commit");
            }
            if (pushed instanceof PushOutcome.Rejected rejected) {
                throw new GitOperationException(
                        GitOperationException.Kind.PUSH_REJECTED,
                        "The server refused the push to " + branch + ": " + rejected.serverMessage()
                                + "\nNot retried: this refusal does not come from a concurrent push. Check the branch"
                                + " protection and the server's hooks.");
            }
            lastRace = ((PushOutcome.LostRace) pushed).serverMessage();
            lastAttempt = Duration.ofNanos(System.nanoTime() - started);
            if (edit.isEmpty()) {
                throw new GitOperationException(
                        GitOperationException.Kind.PUSH_REJECTED,
                        "Someone else pushed to " + branch + " first (" + lastRace + "), and there is no record of the"
                                + " edits to re-apply on their commit. Run set-image again on a fresh checkout.");
            }
            progress.info("Push to " + branch + " lost a race with another push (attempt " + attempt + " of "
                    + settings.maxAttempts() + ")");
        }
        throw new GitOperationException(
                GitOperationException.Kind.ATTEMPTS_EXHAUSTED,
                "Gave up after " + settings.maxAttempts() + " attempts: each time another push to " + branch
                        + " landed first (last: " + lastRace + "). Nothing was forced; run again or allow more attempts.");
    }

    private UpdateResult noChange(String branch, int attempt) {
        return noChange(branch, attempt, attempt == 1
                ? "nothing to change: " + branch + " already has the requested values"
                : "nothing to change: another push already brought " + branch + " to the requested values");
    }

    private UpdateResult noChange(String branch, int attempt, String reason) {
        progress.info(reason);
        return new UpdateResult.NoChange(branch, attempt, reason);
    }

    private static EditOutcome apply(WorkTreeEdit edit, ConfigRepository repository) {
        try {
            return edit.apply(repository.workTree());
        } catch (IOException e) {
            throw new GitOperationException(
                    GitOperationException.Kind.TRANSPORT, "The edit failed in " + repository.workTree() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> messageValues(EditOutcome outcome) {
        Map<String, String> values = new HashMap<>(outcome.messageVariables());
        values.putIfAbsent("files", String.join(", ", outcome.changedFiles()));
        settings.buildUrl().ifPresent(url -> values.put("buildUrl", url));
        return values;
    }
}
