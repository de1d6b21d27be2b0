package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import io.jenkins.plugins.gitops.core.DurationText;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationJson;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import io.jenkins.plugins.gitops.core.update.ApplicationTargets;
import io.jenkins.plugins.gitops.core.update.GitTarget;
import io.jenkins.plugins.gitops.core.update.ImageVersion;
import io.jenkins.plugins.gitops.core.update.Rollback;
import io.jenkins.plugins.gitops.core.update.TargetRefusedException;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import io.jenkins.plugins.gitops.credentials.GitAccess;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jenkins.model.Jenkins;

/**
 * The controller side of {@code gitopsSetImage}, {@code gitopsPush} and {@code gitopsRollback}, shared by the Pipeline steps and the
 * freestyle build steps: checks the arguments, resolves the credentials, sends the work to where the workspace is
 * ({@link CheckoutWork}), prints the engine's report and records it on the build.
 */
final class CheckoutOperations {

    private static final long READ_TIMEOUT_SECONDS = 120;

    private CheckoutOperations() {}

    /**
     * Sets the image in the checkout (cloning it first when needed) and returns the changes as a list of maps
     * {@code [file:, line:, kind:, field:, oldValue:, newValue:]}; with a strategy, first chooses the version from the
     * registry and returns {@code [outcome:, reference:, tag:, digest:, reason:, candidates:, changes:]}, where
     * outcome {@code NO_CANDIDATE} (no tag eligible) changes nothing and is no failure.
     *
     * @param workspace null outside a {@code node} block: only the {@code argocd} write-back without a strategy works there
     */
    static Object setImage(
            GitopsSetImageStep args, Run<?, ?> run, @CheckForNull FilePath workspace, TaskListener listener)
            throws IOException, InterruptedException {
        BuildCredentials credentials = new BuildCredentials(run);
        RegistryResolution.Outcome version = RegistryResolution.resolve(args, workspace, credentials);
        if (version == null) {
            return setImage(args, editRequest(args, args.getTag(), args.getDigest()), run, workspace, listener, credentials);
        }
        Map<String, Object> value = version.toMap();
        PrintStream out = credentials.mask(listener).getLogger();
        if (!version.chosen()) {
            out.println(Messages.CheckoutOperations_noCandidate(args.getImage(), version.reason()));
            value.put("changes", new ArrayList<>());
            return value;
        }
        out.println(Messages.CheckoutOperations_chosen(version.reference(), version.reason()));
        value.put("changes", setImage(args, editRequest(args, version.tag(), version.digest()), run, workspace, listener,
                credentials));
        return value;
    }

    private static List<Map<String, Object>> setImage(GitopsSetImageStep args, EditRequest request, Run<?, ?> run,
            @CheckForNull FilePath workspace, TaskListener listener, BuildCredentials credentials)
            throws IOException, InterruptedException {
        String writeBack = Util.fixEmptyAndTrim(args.getWriteBack());
        if ("argocd".equals(writeBack)) {
            return ArgoCdWriteBack.apply(request, args, run, listener);
        }
        if (writeBack != null && !"git".equals(writeBack)) {
            throw new AbortException(Messages.CheckoutOperations_badWriteBack(writeBack));
        }
        if (workspace == null) {
            throw new AbortException(Messages.CheckoutOperations_needsWorkspace());
        }
        String repo = Util.fixEmptyAndTrim(args.getRepo());
        ApplicationEdit application = ApplicationEdit.applies(args)
                ? ApplicationEdit.resolve(args, request, credentials, credentials.mask(listener).getLogger())
                : null;
        if (application != null) {
            repo = application.repoURL();
        }
        String dir = checkoutDir(args.getDir(), repo);
        GitAccess access = repo == null ? null : credentials.git(repo, args.getCredentialsId());
        TaskListener log = credentials.mask(listener);
        GitopsDeploymentAction action = GitopsDeploymentAction.of(run);
        boolean firstInBuild = action.markCheckoutUsed(dir);
        CheckoutWork.SetImageResult result = workspace.child(dir).act(new CheckoutWork.SetImage(
                access, Util.fixEmptyAndTrim(args.getBranch()), args.getDepth(), firstInBuild, request.toJson(),
                application == null ? null : application.json(), log));

        PrintStream out = log.getLogger();
        if (result.changes().isEmpty()) {
            out.println(Messages.CheckoutOperations_unchanged(request.updates().get(0).image()));
        }
        for (Map<String, Object> change : result.changes()) {
            out.println(Messages.CheckoutOperations_change(change.get("file"), change.get("line"), change.get("field"),
                    change.get("oldValue"), change.get("newValue")));
        }
        action.recordCheckout(new GitopsDeploymentAction.Checkout(dir, repo, Util.fixEmptyAndTrim(args.getCredentialsId())));
        if (application != null) {
            action.recordApplication(application.application());
        }
        if (!result.files().isEmpty()) {
            action.recordImageUpdate(new GitopsDeploymentAction.ImageUpdate(
                    request.updates().get(0).image(), newValue(request.updates().get(0)), repo != null ? displayUrl(repo) : dir,
                    result.files()));
        }
        return new ArrayList<>(result.changes());
    }

    /**
     * What {@link #push} did.
     *
     * @param value what the step returns: {@code [sha:, branch:, attempts:, changed:]}, with {@code pullRequest: true}
     *     also {@code url:, number:, created:} (null when there was nothing to change)
     * @param merge with {@code waitForMerge}, the wait for the merge of the pull request; null without one
     */
    record Pushed(LinkedHashMap<String, Object> value, @CheckForNull PendingMerge merge) {}

    /** Commits and pushes the checkout's journalled edits, through a pull request when asked to. */
    static Pushed push(GitopsPushStep args, Run<?, ?> run, FilePath workspace, TaskListener listener)
            throws IOException, InterruptedException {
        Duration waitForMerge = waitForMerge(args);
        GitopsDeploymentAction action = GitopsDeploymentAction.of(run);
        GitopsDeploymentAction.Checkout last = action.lastCheckout();
        String dir = Util.fixEmptyAndTrim(args.getDir());
        if (dir == null) {
            if (last == null) {
                throw new AbortException(Messages.CheckoutOperations_nothingToPush());
            }
            dir = last.getDir();
        }
        checkRelative(dir);
        FilePath checkout = workspace.child(dir);
        String repo = Util.fixEmptyAndTrim(args.getRepo());
        if (repo == null && last != null && dir.equals(last.getDir())) {
            repo = last.getRepository();
        }
        if (repo == null) {
            repo = checkout.act(new CheckoutWork.OriginUrl());
        }
        String credentialsId = Util.fixEmptyAndTrim(args.getCredentialsId());
        if (credentialsId == null && last != null && dir.equals(last.getDir())) {
            credentialsId = last.getCredentialsId();
        }
        if (args.getAttempts() < 1) {
            throw new AbortException(Messages.CheckoutOperations_attempts(args.getAttempts()));
        }
        BuildCredentials credentials = new BuildCredentials(run);
        GitAccess access = credentials.git(repo, credentialsId);
        PullRequestArguments pullRequest = null;
        if (args.isPullRequest()) {
            String tokenId = Util.fixEmptyAndTrim(args.getPullRequestCredentialsId());
            if (tokenId == null) {
                throw new AbortException(Messages.CheckoutOperations_pullRequestToken());
            }
            pullRequest = new PullRequestArguments(Util.fixEmptyAndTrim(args.getProvider()), Util.fixEmptyAndTrim(args.getApiUrl()),
                    credentials.apiToken(tokenId, repo), Util.fixEmptyAndTrim(args.getPullRequestBranch()),
                    Util.fixEmptyAndTrim(args.getTitle()), Util.fixEmptyAndTrim(args.getBody()),
                    new ArrayList<>(SyncSettings.split(args.getLabels())), args.isDraft());
        }
        TaskListener log = credentials.mask(listener);
        CheckoutWork.PushResult result = checkout.act(new CheckoutWork.Push(
                access,
                Util.fixEmptyAndTrim(args.getBranch()),
                Util.fixEmptyAndTrim(args.getMessage()),
                Util.fixEmptyAndTrim(args.getAuthorName()),
                Util.fixEmptyAndTrim(args.getAuthorEmail()),
                args.getAttempts(),
                buildUrl(run),
                pullRequest,
                log));

        CheckoutWork.PullRequestOpened opened = result.pullRequest();
        action.recordPush(new GitopsDeploymentAction.Push(displayUrl(repo), result.branch(), result.commit(),
                result.attempts(), result.changed(), CommitLinks.of(repo, result.commit()),
                opened == null ? null : opened.url(), opened == null ? 0 : opened.number()));
        LinkedHashMap<String, Object> value = new LinkedHashMap<>();
        value.put("sha", result.commit());
        value.put("branch", result.branch());
        value.put("attempts", result.attempts());
        value.put("changed", result.changed());
        if (args.isPullRequest()) {
            value.put("url", opened == null ? null : opened.url());
            value.put("number", opened == null ? null : opened.number());
            value.put("created", opened != null && opened.created());
        }
        if (waitForMerge == null) {
            return new Pushed(value, null);
        }
        if (opened == null) {
            log.getLogger().println(Messages.CheckoutOperations_nothingToWaitFor());
            return new Pushed(value, null);
        }
        return new Pushed(value, new PendingMerge(displayUrl(repo), Util.fixEmptyAndTrim(args.getProvider()),
                Util.fixEmptyAndTrim(args.getApiUrl()),
                Util.fixEmptyAndTrim(args.getPullRequestCredentialsId()), opened.number(), opened.url(),
                waitForMerge, value));
    }

    /** The {@code waitForMerge} duration, checked before anything is pushed; null when not asked for. */
    @CheckForNull
    private static Duration waitForMerge(GitopsPushStep args) throws AbortException {
        String text = Util.fixEmptyAndTrim(args.getWaitForMerge());
        if (text == null) {
            return null;
        }
        if (!args.isPullRequest()) {
            throw new AbortException(Messages.CheckoutOperations_waitForMergeNeedsPullRequest());
        }
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.CheckoutOperations_badWaitForMerge(e.getMessage()));
        }
    }

    /**
     * Rolls the image back in a clone of its own in the workspace's temporary directory, on the agent, then syncs
     * unless told not to. Returns {@code [outcome:, image:, from:, to:, undone:, sha:, branch:, attempts:, sync:]}:
     * {@code ROLLED_BACK}, {@code NOTHING_TO_ROLL_BACK_TO} (the history holds no earlier version) or
     * {@code NOTHING_TO_CHANGE} (the branch already has the version), the last two without a push or a sync.
     */
    static Map<String, Object> rollback(GitopsRollbackStep args, Run<?, ?> run, FilePath workspace, TaskListener listener)
            throws IOException, InterruptedException {
        String image = required(Util.fixEmptyAndTrim(args.getImage()), Messages.CheckoutOperations_imageRequired());
        String to = Util.fixEmptyAndTrim(args.getTo());
        EditRequest where;
        try {
            ImageReference.parse(image);
            if (to != null) {
                ImageVersion.parse(to);
            }
            where = Rollback.request(image).withPaths(SyncSettings.split(args.getPath()));
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        if (args.getAttempts() < 1) {
            throw new AbortException(Messages.CheckoutOperations_attempts(args.getAttempts()));
        }
        String app = Util.fixEmptyAndTrim(args.getApp());
        String repo = Util.fixEmptyAndTrim(args.getRepo());
        if (app == null && (repo == null || args.isSync())) {
            throw new AbortException(repo == null ? Messages.CheckoutOperations_rollbackNeedsApp()
                    : Messages.CheckoutOperations_rollbackSyncNeedsApp());
        }
        if (repo == null && (args.getPath() != null || args.getBranch() != null)) {
            throw new AbortException(Messages.CheckoutOperations_rollbackPathWithApp());
        }
        BuildCredentials credentials = new BuildCredentials(run);
        TaskListener log = credentials.mask(listener);
        PrintStream out = log.getLogger();
        SyncSettings argo = app == null ? null : SyncSettings.of(ApplicationArguments.of(args));
        String applicationJson = null;
        if (repo == null) {
            Application application = readApplication(argo, credentials, out);
            Application spec = new Application(application.metadata(), application.spec(), null, null);
            List<GitTarget> targets;
            try {
                targets = ApplicationTargets.resolve(spec, where.updates().get(0));
            } catch (TargetRefusedException e) {
                throw new AbortException(e.getMessage());
            }
            if (targets.size() > 1) {
                throw new AbortException(Messages.CheckoutOperations_rollbackSeveralRepositories(app, targets.size()));
            }
            repo = targets.get(0).repoURL();
            out.println(Messages.CheckoutOperations_rollbackTarget(app, targets.get(0).describe()));
            applicationJson = ApplicationJson.mapper().writeValueAsString(spec);
        }
        GitAccess access = credentials.git(repo, args.getCredentialsId());
        FilePath temporary = WorkspaceList.tempDir(workspace);
        if (temporary == null) {
            throw new AbortException(Messages.CheckoutOperations_needsWorkspace());
        }
        temporary.mkdirs();
        FilePath clone = temporary.createTempDir("gitops-rollback", "");
        CheckoutWork.RollbackOutcome outcome;
        try {
            outcome = clone.act(new CheckoutWork.RollbackImage(access, image, applicationJson,
                    applicationJson == null ? where.toJson() : null, Util.fixEmptyAndTrim(args.getBranch()), to,
                    app, args.getAttempts(), buildUrl(run), log));
        } finally {
            clone.deleteRecursive();
        }

        Map<String, Object> value = new LinkedHashMap<>();
        value.put("outcome", outcome.outcome());
        value.put("image", image);
        value.put("from", outcome.from());
        value.put("to", outcome.to());
        value.put("undone", outcome.undone());
        value.put("sha", outcome.commit());
        value.put("branch", outcome.branch());
        value.put("attempts", outcome.attempts());
        value.put("sync", null);
        if (!outcome.outcome().equals("ROLLED_BACK")) {
            out.println(outcome.outcome().equals("NOTHING_TO_ROLL_BACK_TO")
                    ? Messages.CheckoutOperations_nothingToRollBackTo(outcome.message())
                    : Messages.CheckoutOperations_rollbackUnchanged(outcome.message()));
            return value;
        }
        out.println(Messages.CheckoutOperations_rolledBack(image, outcome.from(), outcome.to(), outcome.commit(),
                outcome.undone() == null ? "-" : outcome.undone()));
        GitopsDeploymentAction action = GitopsDeploymentAction.of(run);
        action.recordImageUpdate(new GitopsDeploymentAction.ImageUpdate(image, image + ":" + outcome.to(), displayUrl(repo),
                outcome.files()));
        action.recordPush(new GitopsDeploymentAction.Push(displayUrl(repo), outcome.branch(), outcome.commit(),
                outcome.attempts(), true, CommitLinks.of(repo, outcome.commit())));
        if (args.isSync()) {
            SyncResult synced = ApplicationSync.syncAndWait(argo, outcome.commit(), run, listener);
            value.put("sync", ApplicationSync.returnValue(argo, synced));
        }
        return value;
    }

    /** The Application as stored, reached as {@code gitopsSync} reaches it. */
    private static Application readApplication(SyncSettings argo, BuildCredentials credentials, PrintStream out)
            throws IOException, InterruptedException {
        try (ApplicationSync connection = ApplicationSync.open(argo, credentials)) {
            out.println(Messages.CheckoutOperations_readingApp(argo.applicationRef(), connection.describe()));
            return connection.read().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = ApplicationSync.forBuild(e.getCause());
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (TimeoutException e) {
            throw new AbortException(Messages.CheckoutOperations_readTimeout(argo.applicationRef(), READ_TIMEOUT_SECONDS));
        }
    }

    /** Builds and checks the engine's request, to {@code tag} and {@code digest}, before anything is cloned. */
    static EditRequest editRequest(GitopsSetImageStep args, @CheckForNull String tag, @CheckForNull String digest)
            throws AbortException {
        try {
            String image = required(Util.fixEmptyAndTrim(args.getImage()), Messages.CheckoutOperations_imageRequired());
            ImageUpdate update = new ImageUpdate(image, Util.fixEmptyAndTrim(args.getNewName()),
                    Util.fixEmptyAndTrim(tag), Util.fixEmptyAndTrim(digest));
            List<String> keys = SyncSettings.split(args.getKey());
            String argocdSource = Util.fixEmptyAndTrim(args.getArgocdSource());
            TargetKind kind = kind(args.getKind(), !keys.isEmpty(), argocdSource != null);
            return new EditRequest(List.of(update), SyncSettings.split(args.getPath()), kind, keys,
                            SyncSettings.split(args.getHelmKey()), argocdSource)
                    .validated();
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** The checkout directory relative to the workspace: as given, or {@code .gitops/<repository name>}. */
    static String checkoutDir(@CheckForNull String dir, @CheckForNull String repo) throws AbortException {
        String given = Util.fixEmptyAndTrim(dir);
        if (given != null) {
            checkRelative(given);
            return given;
        }
        if (repo == null) {
            return ".";
        }
        String name = repo.replaceAll("/+$", "");
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf(':')) + 1);
        name = name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
        return ".gitops/" + (name.isEmpty() || name.equals("..") || name.equals(".") ? "config" : name);
    }

    static TargetKind kind(@CheckForNull String kind, boolean hasKeys, boolean hasArgocdSource) throws AbortException {
        String k = Util.fixEmptyAndTrim(kind);
        if (k == null) {
            return hasKeys ? TargetKind.KEY_PATH : hasArgocdSource ? TargetKind.ARGOCD_SOURCE : TargetKind.AUTO;
        }
        try {
            return TargetKind.valueOf(k.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.CheckoutOperations_badKind(k));
        }
    }

    private static void checkRelative(String dir) throws AbortException {
        String d = dir.replace('\\', '/');
        if (d.startsWith("/") || d.matches("^[A-Za-z]:.*") || ("/" + d + "/").contains("/../")) {
            throw new AbortException(Messages.CheckoutOperations_dirOutside(dir));
        }
    }

    private static String required(@CheckForNull String value, String message) throws AbortException {
        if (value == null) {
            throw new AbortException(message);
        }
        return value;
    }

    private static String newValue(ImageUpdate update) {
        String name = update.newName() != null ? update.newName() : update.image();
        return name + (update.newTag() != null ? ":" + update.newTag() : "")
                + (update.newDigest() != null ? "@" + update.newDigest() : "");
    }

    /** The URL as the build page may show it: user info dropped. */
    private static String displayUrl(String url) {
        return url.replaceFirst("^([a-z+]+://)[^@/]*@", "$1");
    }

    @CheckForNull
    private static String buildUrl(Run<?, ?> run) {
        String root = Jenkins.get().getRootUrl();
        return root == null ? null : root + run.getUrl();
    }
}
