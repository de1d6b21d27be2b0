package io.jenkins.plugins.gitops;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.CommitIdentity;
import io.jenkins.plugins.gitops.core.git.CommitMessageTemplate;
import io.jenkins.plugins.gitops.core.git.EditJournal;
import io.jenkins.plugins.gitops.core.git.EditOutcome;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.git.WorkTreeEdit;
import io.jenkins.plugins.gitops.core.manifest.Change;
import io.jenkins.plugins.gitops.core.manifest.EditReport;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestApi;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestException;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestFlow;
import io.jenkins.plugins.gitops.core.argocd.ApplicationJson;
import io.jenkins.plugins.gitops.core.update.ApplicationTargets;
import io.jenkins.plugins.gitops.core.update.GitTarget;
import io.jenkins.plugins.gitops.core.update.ImageVersion;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import io.jenkins.plugins.gitops.core.update.Rollback;
import io.jenkins.plugins.gitops.core.update.RollbackResult;
import io.jenkins.plugins.gitops.core.update.TargetRefusedException;
import io.jenkins.plugins.gitops.credentials.GitAccess;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jenkins.agents.ControllerToAgentFileCallable;

/**
 * The work on the config repository checkout, run where the workspace is ({@code FilePath.act}). Everything sent
 * to the agent is serialisable and short-lived: the edit request as JSON, ids and options, and the {@link GitAccess}
 * for this one call. Engine failures come back as {@link AbortException}s carrying the engine's message.
 */
final class CheckoutWork {

    private CheckoutWork() {}

    /** What {@code gitopsSetImage} did in the checkout. */
    record SetImageResult(ArrayList<Map<String, Object>> changes, ArrayList<String> files) implements Serializable {}

    /** What {@code gitopsPush} did. */
    record PushResult(String commit, String branch, int attempts, boolean changed, ArrayList<String> files,
            PullRequestOpened pullRequest) implements Serializable {}

    /** The pull request {@code gitopsPush pullRequest: true} opened or updated; null without one. */
    record PullRequestOpened(String url, long number, boolean created) implements Serializable {}

    /**
     * Clones the repository into the checkout directory when it is not a checkout yet (shallow, one branch), applies
     * the edit all-or-nothing, and journals it for {@code gitopsPush}.
     *
     * @param access null to use an existing checkout as it is
     * @param branch base branch to clone; null for the remote's default
     * @param firstInBuild the build's first edit in this checkout: a checkout left in the workspace by an earlier
     *     build is brought to the remote's tip, and edits it journalled but never pushed are dropped
     */
    record SetImage(
            GitAccess access, String branch, int depth, boolean firstInBuild, String requestJson, TaskListener listener)
            implements ControllerToAgentFileCallable<SetImageResult> {

        @Override
        public SetImageResult invoke(File checkoutDir, VirtualChannel channel) throws IOException, InterruptedException {
            Path checkout = checkoutDir.toPath();
            try {
                if (!Files.exists(checkout.resolve(".git"))) {
                    if (access == null) {
                        throw new AbortException(Messages.CheckoutWork_noCheckout(checkout));
                    }
                    CloneOptions options = CloneOptions.defaults().withDepth(depth);
                    if (branch != null) {
                        options = options.withBranch(branch);
                    }
                    listener.getLogger().println(Messages.CheckoutWork_cloning(access.url(), checkout));
                    JGitConfigRepository.cloneInto(checkout, access.toRemote(), options, progress(listener)).close();
                } else {
                    if (access != null) {
                        Optional<String> origin = JGitConfigRepository.originUrl(checkout);
                        if (origin.isPresent() && !sameRepository(origin.get(), access.url())) {
                            throw new AbortException(
                                    Messages.CheckoutWork_otherRepository(checkout, origin.get(), access.url()));
                        }
                    }
                    if (firstInBuild) {
                        EditJournal.forCheckout(checkout).ifPresent(EditJournal::clear);
                        if (access != null) {
                            try (JGitConfigRepository repository = JGitConfigRepository.open(
                                    checkout, access.toRemote(), Optional.empty(), progress(listener))) {
                                listener.getLogger().println(Messages.CheckoutWork_refreshed(checkout, repository.resetToRemote()));
                            }
                        }
                    }
                }
                EditRequest request = EditRequest.fromJson(requestJson);
                EditReport report = JournalledEdits.applyAndRecord(checkout, request);
                if (report.outcome() == EditReport.Outcome.NOT_FOUND) {
                    throw new AbortException(Messages.CheckoutWork_imageNotFound(
                            request.updates().get(0).image(), request.paths().isEmpty() ? "." : request.paths()));
                }
                return new SetImageResult(changes(report), new ArrayList<>(report.changedFiles()));
            } catch (ManifestEditException | GitOperationException | IllegalArgumentException e) {
                // Bad input or a refused git operation: the engine's message says what and where; no stack trace.
                throw new AbortException(e.getMessage());
            }
        }
    }

    /**
     * Commits and pushes what the journalled edits changed, with core's race-safe loop: on a lost race it resets to
     * the new tip and applies the journalled edits again. Never forces.
     *
     * @param pushBranch branch to push to; null for the checked-out branch (with a pull request: the branch template's)
     * @param pullRequest open or update a pull request from the pushed branch into the checked-out one; null for none
     */
    record Push(
            GitAccess access,
            String pushBranch,
            String messageTemplate,
            String authorName,
            String authorEmail,
            int attempts,
            String buildUrl,
            PullRequestArguments pullRequest,
            TaskListener listener)
            implements ControllerToAgentFileCallable<PushResult> {

        @Override
        public PushResult invoke(File checkoutDir, VirtualChannel channel) throws IOException, InterruptedException {
            Path workTree = checkoutDir.toPath();
            EditJournal journal = EditJournal.forCheckout(workTree)
                    .orElseThrow(() -> new AbortException(Messages.CheckoutWork_noCheckout(workTree)));
            List<JournalledEdits.Entry> entries;
            try {
                entries = JournalledEdits.pending(journal);
            } catch (GitOperationException e) {
                throw new AbortException(e.getMessage());
            }
            GitProgress progress = progress(listener);
            try {
                Optional<String> branch = Optional.ofNullable(pushBranch);
                PullRequestApi api = null;
                if (pullRequest != null) {
                    api = pullRequest.connect(access.url());
                    branch = Optional.of(headBranch(workTree, entries, progress));
                }
                try (JGitConfigRepository repository = JGitConfigRepository.open(workTree, access.toRemote(), branch, progress)) {
                    Set<String> files = new LinkedHashSet<>(repository.changedFiles());
                    files.addAll(JournalledEdits.files(entries));
                    EditOutcome applied = JournalledEdits.alreadyApplied(new ArrayList<>(files), entries, Optional.empty());
                    CommitIdentity author = authorName == null
                            ? CommitIdentity.DEFAULT
                            : new CommitIdentity(authorName, authorEmail == null ? "" : authorEmail);
                    UpdateLoop.Settings settings = UpdateLoop.Settings.defaults()
                            .withMaxAttempts(attempts)
                            .withIdentities(author, author)
                            .withBuildUrl(Optional.ofNullable(buildUrl));
                    if (messageTemplate != null) {
                        settings = settings.withMessage(new CommitMessageTemplate(messageTemplate));
                    }
                    Optional<WorkTreeEdit> reapply =
                            entries.isEmpty() ? Optional.empty() : Optional.of(JournalledEdits.replay(entries, Optional.empty()));
                    UpdateLoop loop = new UpdateLoop(settings, progress);
                    if (api != null) {
                        PullRequestFlow.Outcome outcome = new PullRequestFlow(api, pullRequest.settings(Optional.ofNullable(buildUrl)), progress)
                                .publish(repository, loop, reapply, Optional.of(applied));
                        journal.clear();
                        if (outcome instanceof PullRequestFlow.Outcome.Opened opened) {
                            return new PushResult(opened.commit(), opened.branch(), 1, opened.pushed(), new ArrayList<>(files),
                                    new PullRequestOpened(opened.pullRequest().url(), opened.pullRequest().number(), opened.created()));
                        }
                        return new PushResult(repository.head(), repository.pushBranch(), 1, false, new ArrayList<>(), null);
                    }
                    UpdateResult result = loop.runApplied(repository, applied, reapply);
                    journal.clear();
                    if (result instanceof UpdateResult.Pushed pushed) {
                        return new PushResult(pushed.commit(), pushed.branch(), pushed.attempts(), true,
                                new ArrayList<>(pushed.files()), null);
                    }
                    return new PushResult(repository.head(), result.branch(), result.attempts(), false, new ArrayList<>(), null);
                }
            } catch (ManifestEditException | GitOperationException | JournalledEdits.ImageNotFoundException
                    | PullRequestException e) {
                throw new AbortException(e.getMessage());
            }
        }

        /** {@code pushBranch} as given, else the pull request's branch template with the edits' values and the base. */
        private String headBranch(Path workTree, List<JournalledEdits.Entry> entries, GitProgress progress) throws IOException {
            if (pushBranch != null) {
                return pushBranch;
            }
            Map<String, String> values = new LinkedHashMap<>(JournalledEdits.messageValues(entries, Optional.empty()));
            try (JGitConfigRepository checkedOut = JGitConfigRepository.open(workTree, access.toRemote(), Optional.empty(), progress)) {
                values.put("base", checkedOut.baseBranch());
            }
            return pullRequest.branchTemplate().renderBranch(values);
        }
    }

    /** The URL of the checkout's {@code origin}, for a step given a directory but no repository URL. */
    record OriginUrl() implements ControllerToAgentFileCallable<String> {
        @Override
        public String invoke(File checkoutDir, VirtualChannel channel) throws IOException {
            Path workTree = checkoutDir.toPath();
            if (!Files.exists(workTree.resolve(".git"))) {
                throw new AbortException(Messages.CheckoutWork_noCheckout(workTree));
            }
            return JGitConfigRepository.originUrl(workTree)
                    .orElseThrow(() -> new AbortException(Messages.CheckoutWork_noOrigin(workTree)));
        }
    }

    /**
     * What {@code gitopsRollback} did: {@code ROLLED_BACK}, {@code NOTHING_TO_ROLL_BACK_TO} or {@code NOTHING_TO_CHANGE},
     * the versions, the commits (null when nothing was pushed) and the engine's reason for the other two.
     */
    record RollbackOutcome(String outcome, String from, String to, String undone, String commit, String branch,
            int attempts, ArrayList<String> files, String message) implements Serializable {

        static RollbackOutcome of(RollbackResult result) {
            if (result instanceof RollbackResult.RolledBack done) {
                return new RollbackOutcome("ROLLED_BACK", done.from(), done.to().toString(), done.undone().orElse(null),
                        done.commit(), done.branch(), done.attempts(), new ArrayList<>(done.files()), null);
            }
            if (result instanceof RollbackResult.NothingToRollBackTo none) {
                return new RollbackOutcome("NOTHING_TO_ROLL_BACK_TO", none.current().toString(), null, null, null, null,
                        0, new ArrayList<>(), none.reason());
            }
            RollbackResult.AlreadyThere there = (RollbackResult.AlreadyThere) result;
            return new RollbackOutcome("NOTHING_TO_CHANGE", there.to().toString(), there.to().toString(), null, null,
                    there.branch(), 0, new ArrayList<>(), there.reason());
        }
    }

    /**
     * Clones the repository with its history into the (empty) directory, finds the version before the image's last
     * change, or takes {@code to}, and pushes it as a new commit with core's race-safe loop ({@link Rollback}).
     *
     * @param applicationJson the Application (metadata and spec) whose sources name the files; null with
     *     {@code whereJson}
     * @param whereJson the paths to roll back in ({@link Rollback#request}); null with {@code applicationJson}
     * @param branch with {@code whereJson}: the branch; null for the remote's default
     * @param app the application for the commit message; null for none
     */
    record RollbackImage(GitAccess access, String image, String applicationJson, String whereJson, String branch,
            String to, String app, int attempts, String buildUrl, TaskListener listener)
            implements ControllerToAgentFileCallable<RollbackOutcome> {

        @Override
        public RollbackOutcome invoke(File checkoutDir, VirtualChannel channel) throws IOException, InterruptedException {
            Path checkout = checkoutDir.toPath();
            GitProgress progress = progress(listener);
            try {
                Optional<ImageVersion> version = Optional.ofNullable(to).map(ImageVersion::parse);
                UpdateLoop.Settings settings = UpdateLoop.Settings.defaults()
                        .withMaxAttempts(attempts)
                        .withBuildUrl(Optional.ofNullable(buildUrl));
                if (applicationJson != null) {
                    GitTarget target = ApplicationTargets.resolve(ApplicationJson.parse(applicationJson),
                            Rollback.request(image).updates().get(0)).get(0);
                    return RollbackOutcome.of(Rollback.run(target, image, version, access.toRemote(), CloneOptions.defaults(),
                            checkout, settings, progress));
                }
                CloneOptions options = branch == null ? CloneOptions.defaults() : CloneOptions.defaults().withBranch(branch);
                return RollbackOutcome.of(Rollback.run(EditRequest.fromJson(whereJson), version, access.toRemote(), options,
                        checkout, settings, Optional.ofNullable(app), progress));
            } catch (ManifestEditException | GitOperationException | TargetRefusedException
                    | JournalledEdits.ImageNotFoundException | IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
        }
    }

    private static ArrayList<Map<String, Object>> changes(EditReport report) {
        ArrayList<Map<String, Object>> changes = new ArrayList<>();
        for (Change change : report.changes()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("file", change.file());
            c.put("line", change.line());
            c.put("kind", change.kind().name());
            c.put("field", change.field());
            c.put("oldValue", change.oldValue());
            c.put("newValue", change.newValue());
            changes.add(c);
        }
        return changes;
    }

    private static boolean sameRepository(String a, String b) {
        return normalise(a).equals(normalise(b));
    }

    private static String normalise(String url) {
        String u = url.trim();
        u = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        u = u.endsWith(".git") ? u.substring(0, u.length() - 4) : u;
        return u.replaceFirst("^[a-z+]+://[^@/]*@", "").replaceFirst("^[a-z+]+://", "").replaceFirst("^[^@/]+@", "")
                .replace(':', '/');
    }

    private static GitProgress progress(TaskListener listener) {
        return new GitProgress() {
            @Override
            public void info(String message) {
                listener.getLogger().println(message);
            }

            @Override
            public void warn(String message) {
                listener.getLogger().println(Messages.CheckoutWork_warning(message));
            }
        };
    }
}
