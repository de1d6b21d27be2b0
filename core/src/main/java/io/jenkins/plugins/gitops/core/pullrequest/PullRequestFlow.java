package io.jenkins.plugins.gitops.core.pullrequest;

import io.jenkins.plugins.gitops.core.git.CommitSpec;
import io.jenkins.plugins.gitops.core.git.ConfigRepository;
import io.jenkins.plugins.gitops.core.git.EditOutcome;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.PushOutcome;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.git.ValueChange;
import io.jenkins.plugins.gitops.core.git.WorkTreeEdit;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Commits through a pull request: pushes the edit to the repository's push branch (the head) with the race-safe
 * {@link UpdateLoop}, never forced, then upserts the pull request from it into the base branch. Two pipelines on the
 * same head thus end in one pull request holding both changes: the loser of the push race re-applies its edit on the
 * winner's commit, and its upsert finds the winner's pull request open.
 */
public final class PullRequestFlow {

    /**
     * What the pull request says.
     *
     * @param title    its title ({@link PullRequestTemplate#DEFAULT_TITLE})
     * @param body     its description ({@link PullRequestTemplate#DEFAULT_BODY})
     * @param labels   labels to add
     * @param draft    open it as a draft
     * @param buildUrl the CI build, for the templates' {@code ${buildUrl}}
     */
    public record Settings(PullRequestTemplate title, PullRequestTemplate body, List<String> labels, boolean draft, Optional<String> buildUrl) {
        public Settings {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(body, "body");
            labels = List.copyOf(labels);
            Objects.requireNonNull(buildUrl, "buildUrl");
        }

        public static Settings defaults() {
            return new Settings(PullRequestTemplate.DEFAULT_TITLE, PullRequestTemplate.DEFAULT_BODY, List.of(), false, Optional.empty());
        }
    }

    /** How publishing ended when it did not fail. */
    public sealed interface Outcome {

        /**
         * A pull request is open with the change.
         *
         * @param created whether this run opened it (else it reused the open one)
         * @param branch  the head branch
         * @param commit  the head branch's tip
         * @param pushed  whether this run pushed a commit (else the head already had the values)
         */
        record Opened(PullRequest pullRequest, boolean created, String branch, String commit, boolean pushed) implements Outcome {}

        /** The values were there already and no pull request is open for the head: none was opened. */
        record NothingToChange(String branch, String reason) implements Outcome {}
    }

    private final PullRequestApi api;
    private final Settings settings;
    private final GitProgress progress;

    public PullRequestFlow(PullRequestApi api, Settings settings, GitProgress progress) {
        this.api = Objects.requireNonNull(api, "api");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = GitProgress.redacted(Objects.requireNonNull(progress, "progress"));
    }

    /**
     * Pushes and upserts.
     *
     * @param edit    the edit to apply (first, or again after a lost race)
     * @param applied what the work tree holds already (a {@code push} after {@code set-image}); then {@code edit} only
     *                re-applies after a lost race
     * @throws PullRequestException when the API refuses a call
     * @throws io.jenkins.plugins.gitops.core.git.GitOperationException when the push fails
     */
    public Outcome publish(ConfigRepository repository, UpdateLoop loop, Optional<WorkTreeEdit> edit, Optional<EditOutcome> applied)
            throws InterruptedException {
        String head = repository.pushBranch();
        String base = repository.baseBranch();
        if (head.equals(base)) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                    "A pull request needs a branch of its own, but the push goes to its base '" + base + "'.");
        }
        AtomicReference<EditOutcome> last = new AtomicReference<>(applied.orElse(EditOutcome.unchanged()));
        Optional<WorkTreeEdit> recorded = edit.map(inner -> workTree -> {
            EditOutcome outcome = inner.apply(workTree);
            last.set(outcome);
            return outcome;
        });
        ChangeRecordingRepository recording = new ChangeRecordingRepository(repository, last);
        UpdateResult result = applied.isPresent()
                ? loop.runApplied(recording, applied.get(), recorded)
                : loop.run(recording, recorded.orElseThrow(() -> new IllegalArgumentException("an edit or applied changes are needed")));
        String noun = api.repository().provider().requestNoun();
        if (result instanceof UpdateResult.NoChange none) {
            Optional<PullRequest> open = PullRequestApi.join(api.findOpen(head, base));
            if (open.isPresent()) {
                progress.info("The " + noun + " " + open.get().url() + " already holds these values; left as it is");
                return new Outcome.Opened(open.get(), false, head, repository.head(), false);
            }
            String reason = none.reason() + "; no " + noun + " opened";
            progress.info("No " + noun + " opened: there is nothing to change");
            return new Outcome.NothingToChange(head, reason);
        }
        UpdateResult.Pushed pushed = (UpdateResult.Pushed) result;
        PullRequestSpec spec = spec(head, base, last.get(), recording.committed);
        PullRequestApi.Upserted upserted;
        try {
            upserted = PullRequestApi.join(api.upsert(spec));
        } catch (PullRequestException e) {
            throw new PullRequestException(e.kind(), e.getMessage() + " The commit " + pushed.commit() + " is on the branch "
                    + head + "; run again to open the " + noun + ".", e);
        }
        progress.info((upserted.created() ? "Opened " : "Updated ") + noun + " " + upserted.pullRequest().url());
        return new Outcome.Opened(upserted.pullRequest(), upserted.created(), head, pushed.commit(), true);
    }

    /** {@code branchChanges}: everything the head branch changes against the base, for the table. */
    private PullRequestSpec spec(String head, String base, EditOutcome outcome, List<ValueChange> branchChanges) {
        Map<String, String> values = new HashMap<>(outcome.messageVariables());
        values.putIfAbsent("files", String.join(", ", outcome.changedFiles()));
        settings.buildUrl().ifPresent(url -> values.put("buildUrl", url));
        values.put("base", base);
        values.put("branch", head);
        values.put("changes", PullRequestTemplate.changesTable(branchChanges));
        String title = settings.title().render(values);
        if (title.isBlank()) {
            title = "Update " + (values.get("files").isEmpty() ? base : values.get("files"));
        }
        return new PullRequestSpec(head, base, title.lines().findFirst().orElse(title), settings.body().render(values),
                settings.labels(), settings.draft());
    }

    /**
     * The repository as the update loop sees it, with each commit's message carrying the {@link ChangeTrailers} of
     * the whole head branch: those of the push branch's tip it was reset to (after a lost race), then this edit's.
     */
    private static final class ChangeRecordingRepository implements ConfigRepository {

        private final ConfigRepository repository;
        private final AtomicReference<EditOutcome> edit;
        /** The branch's changes as of the last commit made. */
        private List<ValueChange> committed = List.of();

        ChangeRecordingRepository(ConfigRepository repository, AtomicReference<EditOutcome> edit) {
            this.repository = repository;
            this.edit = edit;
        }

        @Override
        public Optional<String> commit(CommitSpec commit) {
            List<ValueChange> earlier = repository.pushBranchTipMessage().map(ChangeTrailers::parse).orElse(List.of());
            committed = ChangeTrailers.fold(earlier, edit.get().values());
            // Redacted like the rest of the message, which the loop already was: it leaves the process.
            return repository.commit(new CommitSpec(Redaction.apply(ChangeTrailers.append(commit.message(), committed)),
                    commit.author(), commit.committer(), commit.signing()));
        }

        @Override
        public Path workTree() {
            return repository.workTree();
        }

        @Override
        public String pushBranch() {
            return repository.pushBranch();
        }

        @Override
        public String baseBranch() {
            return repository.baseBranch();
        }

        @Override
        public String head() {
            return repository.head();
        }

        @Override
        public String resetToRemote() {
            return repository.resetToRemote();
        }

        @Override
        public Optional<String> pushBranchTipMessage() {
            return repository.pushBranchTipMessage();
        }

        @Override
        public List<String> changedFiles() {
            return repository.changedFiles();
        }

        @Override
        public void stage(Collection<String> paths) {
            repository.stage(paths);
        }

        @Override
        public PushOutcome push() {
            return repository.push();
        }

        @Override
        public void close() {
            repository.close();
        }
    }
}
