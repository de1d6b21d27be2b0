package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jenkins.model.RunAction2;

/**
 * What a build deployed: the images it set in which repository and files, the commits it pushed, and the Argo CD
 * applications it synced with their final state. Shown on the build page ({@code summary.jelly}); the last pushed
 * commit is what {@code gitopsSync} waits for by default.
 *
 * <p>Stored in build.xml by XStream, hence plain classes with fields rather than records. {@code Run.save()}
 * serialises the lists without this action's lock, so a list is never changed once it is in a field: each record
 * replaces the field with a new list (the writers hold the lock, so none is lost).
 */
public final class GitopsDeploymentAction implements RunAction2 {

    private volatile List<ImageUpdate> imageUpdates = new ArrayList<>();
    private volatile List<Push> pushes = new ArrayList<>();
    private volatile List<Sync> syncs = new ArrayList<>();
    private volatile Checkout lastCheckout;
    /** Workspace directories this build edited; null in builds recorded before there were any. */
    private volatile Set<String> usedCheckouts;
    private transient Run<?, ?> run;

    /** The build's action, created on first use. */
    @NonNull
    public static GitopsDeploymentAction of(@NonNull Run<?, ?> run) {
        synchronized (run) {
            GitopsDeploymentAction action = run.getAction(GitopsDeploymentAction.class);
            if (action == null) {
                action = new GitopsDeploymentAction();
                run.addAction(action);
            }
            return action;
        }
    }

    public synchronized void recordImageUpdate(ImageUpdate update) throws IOException {
        imageUpdates = appended(imageUpdates, update);
        save();
    }

    /** Remembers where {@code gitopsSetImage} worked, so that {@code gitopsPush} needs no arguments. */
    public synchronized void recordCheckout(Checkout checkout) throws IOException {
        lastCheckout = checkout;
        save();
    }

    /** Notes that this build edits the checkout in {@code dir}; true the first time. */
    public synchronized boolean markCheckoutUsed(String dir) throws IOException {
        Set<String> used = usedCheckouts == null ? new TreeSet<>() : new TreeSet<>(usedCheckouts);
        boolean first = used.add(dir);
        if (first) {
            usedCheckouts = used;
            save();
        }
        return first;
    }

    @CheckForNull
    public synchronized Checkout lastCheckout() {
        return lastCheckout;
    }

    public synchronized void recordPush(Push push) throws IOException {
        pushes = appended(pushes, push);
        save();
    }

    /**
     * Notes that the pull request of an earlier push was merged as {@code mergeCommit}: from now on it is the commit
     * {@code gitopsSync} expects.
     */
    public synchronized void recordMerge(String pullRequestUrl, @CheckForNull String mergeCommit) throws IOException {
        if (mergeCommit == null) {
            return;
        }
        List<Push> updated = new ArrayList<>(pushes);
        for (int i = updated.size() - 1; i >= 0; i--) {
            if (pullRequestUrl.equals(updated.get(i).getPullRequestUrl())) {
                updated.set(i, updated.get(i).merged(mergeCommit));
                pushes = updated;
                save();
                return;
            }
        }
    }

    public synchronized void recordSync(Sync sync) throws IOException {
        syncs = appended(syncs, sync);
        save();
    }

    /**
     * The commit of this build's last push (or the branch tip when that push had nothing to commit); when it went
     * through a pull request that was merged, the merge commit.
     */
    @CheckForNull
    public synchronized String lastPushedCommit() {
        if (pushes.isEmpty()) {
            return null;
        }
        Push last = pushes.get(pushes.size() - 1);
        return last.getMergeCommit() != null ? last.getMergeCommit() : last.getCommit();
    }

    public synchronized List<ImageUpdate> getImageUpdates() {
        return List.copyOf(imageUpdates);
    }

    public synchronized List<Push> getPushes() {
        return List.copyOf(pushes);
    }

    public synchronized List<Sync> getSyncs() {
        return List.copyOf(syncs);
    }

    /** A new list: the old one may be being written to build.xml. */
    private static <T> List<T> appended(List<T> list, T item) {
        List<T> longer = new ArrayList<>(list.size() + 1);
        longer.addAll(list);
        longer.add(item);
        return longer;
    }

    private void save() throws IOException {
        if (run != null) {
            run.save();
        }
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return Messages.GitopsDeploymentAction_displayName();
    }

    @Override
    public String getUrlName() {
        return null;
    }

    /** One image set by {@code gitopsSetImage} in a config repository. */
    public static final class ImageUpdate {
        private final String image;
        private final String newValue;
        private final String repository;
        private final List<String> files;

        public ImageUpdate(String image, String newValue, String repository, List<String> files) {
            this.image = image;
            this.newValue = newValue;
            this.repository = repository;
            this.files = new ArrayList<>(files);
        }

        public String getImage() {
            return image;
        }

        /** The reference written, e.g. {@code registry.example.com/app:1.4.2}. */
        public String getNewValue() {
            return newValue;
        }

        /** The repository URL as it may be shown (never with a password), or the checkout directory. */
        public String getRepository() {
            return repository;
        }

        public List<String> getFiles() {
            return List.copyOf(files);
        }
    }

    /** A checkout of a config repository in the workspace (no secret: the credentials by id only). */
    public static final class Checkout {
        private final String dir;
        private final String repository;
        private final String credentialsId;

        public Checkout(String dir, String repository, String credentialsId) {
            this.dir = dir;
            this.repository = repository;
            this.credentialsId = credentialsId;
        }

        /** Relative to the workspace. */
        public String getDir() {
            return dir;
        }

        /** The URL given to {@code gitopsSetImage}, or null when it used an existing checkout. */
        @CheckForNull
        public String getRepository() {
            return repository;
        }

        @CheckForNull
        public String getCredentialsId() {
            return credentialsId;
        }
    }

    /** One {@code gitopsPush}. */
    public static final class Push {
        private final String repository;
        private final String branch;
        private final String commit;
        private final int attempts;
        private final boolean changed;
        private final String commitUrl;
        private final String pullRequestUrl;
        private final long pullRequestNumber;
        /** Where its pull request was merged; null while it is not (and in builds recorded before merges were). */
        private final String mergeCommit;

        public Push(String repository, String branch, String commit, int attempts, boolean changed, String commitUrl) {
            this(repository, branch, commit, attempts, changed, commitUrl, null, 0);
        }

        public Push(String repository, String branch, String commit, int attempts, boolean changed, String commitUrl,
                @CheckForNull String pullRequestUrl, long pullRequestNumber) {
            this(repository, branch, commit, attempts, changed, commitUrl, pullRequestUrl, pullRequestNumber, null);
        }

        private Push(String repository, String branch, String commit, int attempts, boolean changed, String commitUrl,
                String pullRequestUrl, long pullRequestNumber, String mergeCommit) {
            this.repository = repository;
            this.branch = branch;
            this.commit = commit;
            this.attempts = attempts;
            this.changed = changed;
            this.commitUrl = commitUrl;
            this.pullRequestUrl = pullRequestUrl;
            this.pullRequestNumber = pullRequestNumber;
            this.mergeCommit = mergeCommit;
        }

        Push merged(String commitOnBase) {
            return new Push(repository, branch, commit, attempts, changed, commitUrl, pullRequestUrl, pullRequestNumber,
                    commitOnBase);
        }

        /** The commit its pull request was merged as, or null. */
        @CheckForNull
        public String getMergeCommit() {
            return mergeCommit;
        }

        @CheckForNull
        public String getShortMergeCommit() {
            return mergeCommit == null || mergeCommit.length() < 12 ? mergeCommit : mergeCommit.substring(0, 12);
        }

        /** The pull request opened or updated with this push, or null. */
        @CheckForNull
        public String getPullRequestUrl() {
            return pullRequestUrl;
        }

        public long getPullRequestNumber() {
            return pullRequestNumber;
        }

        public String getRepository() {
            return repository;
        }

        public String getBranch() {
            return branch;
        }

        public String getCommit() {
            return commit;
        }

        public String getShortCommit() {
            return commit == null || commit.length() < 12 ? commit : commit.substring(0, 12);
        }

        public int getAttempts() {
            return attempts;
        }

        public boolean isChanged() {
            return changed;
        }

        /** Link to the commit on a known host (GitHub, GitLab, Bitbucket, Gitea), or null. */
        @CheckForNull
        public String getCommitUrl() {
            return commitUrl;
        }
    }

    /** One {@code gitopsSync} and how it ended. */
    public static final class Sync {
        private final String target;
        private final String app;
        private final String outcome;
        private final String revision;
        private final String syncStatus;
        private final String health;
        private final String message;
        private final String appUrl;

        public Sync(String target, String app, String outcome, String revision, String syncStatus, String health,
                String message, String appUrl) {
            this.target = target;
            this.app = app;
            this.outcome = outcome;
            this.revision = revision;
            this.syncStatus = syncStatus;
            this.health = health;
            this.message = message;
            this.appUrl = appUrl;
        }

        /** The Argo CD server (name or URL) or "Kubernetes API". */
        public String getTarget() {
            return target;
        }

        public String getApp() {
            return app;
        }

        /** SYNCED, STARTED, FAILED, TIMED_OUT or ABORTED. */
        public String getOutcome() {
            return outcome;
        }

        public String getRevision() {
            return revision;
        }

        public String getSyncStatus() {
            return syncStatus;
        }

        public String getHealth() {
            return health;
        }

        /** The application's sync status and health as Argo CD names them, e.g. "Synced / Healthy", or null. */
        @CheckForNull
        public String getState() {
            if (syncStatus == null || health == null) {
                return syncStatus != null ? syncStatus : health;
            }
            return syncStatus + " / " + health;
        }

        public String getMessage() {
            return message;
        }

        /** Link to the application in the Argo CD UI, or null (Kubernetes API path). */
        @CheckForNull
        public String getAppUrl() {
            return appUrl;
        }
    }
}
