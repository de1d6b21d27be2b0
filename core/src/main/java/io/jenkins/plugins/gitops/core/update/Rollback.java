package io.jenkins.plugins.gitops.core.update;

import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.CommitMessageTemplate;
import io.jenkins.plugins.gitops.core.git.ConfigRepository;
import io.jenkins.plugins.gitops.core.git.EditOutcome;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.GitRemote;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.git.WorkTreeEdit;
import io.jenkins.plugins.gitops.core.manifest.Change;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * {@code gitops rollback} and {@code gitopsRollback}: sets an image back to the version it had before its last change
 * in the config repository, or to a version given explicitly, as a new commit on top of the branch (never a forced
 * push, never a rewritten history), so that the next update is the pipeline's explicit choice.
 *
 * <p>The previous version comes from the first-parent history of the branch, limited to the files the edit requests
 * name: the most recent commit after which the image's version differs from its parent's is the last change, and the
 * parent's version is the one to go back to. A version is what the manifest editor reads in those files, so every
 * kind of file an update edits (a kustomization's {@code images:}, Helm values, workloads, an {@code .argocd-source}
 * file, key paths) is read the same way. A second rollback in a row therefore undoes the first (its commit is then
 * the last change); give the version to go further back.
 *
 * <p>After a lost push race the rollback is re-applied on the new tip with the version decided from what was read
 * first, never re-decided from the new tip: a rollback names a known version, and an update that landed meanwhile is
 * replaced by it (the result's {@code from} then names that update's version).
 */
public final class Rollback {

    /** A tag that no file holds: setting it makes the editor report every value the image has. */
    private static final String PROBE_TAG = "gitops-rollback-probe";

    private Rollback() {}

    /** What {@link #plan} read: a version to set, or why there is none. */
    public sealed interface Plan {

        /**
         * @param read the image's version on the branch when it was read
         * @param target the version to set
         * @param undone the commit whose change is rolled back; empty for an explicit version
         * @param requests the edits, each setting {@code target}
         */
        record Ready(String image, ImageVersion read, ImageVersion target, Optional<String> undone,
                     List<EditRequest> requests) implements Plan {
            public Ready {
                requests = List.copyOf(requests);
            }
        }

        /** The history holds no earlier version of the image. */
        record Nowhere(RollbackResult.NothingToRollBackTo result) implements Plan {}
    }

    /**
     * A request that names {@code image} over the whole root, kind auto; narrow it with its withers. Its version is
     * the rollback's to decide.
     */
    public static EditRequest request(String image) {
        return EditRequest.of(ImageUpdate.tag(image, PROBE_TAG));
    }

    /**
     * Decides the version to roll back to from the checkout's {@code HEAD} and its first-parent history.
     *
     * @param workTree a checkout with the history (not a shallow clone)
     * @param requests where the image is set; their versions are ignored
     * @param to the version to set, or empty for the one before the last change
     * @throws JournalledEdits.ImageNotFoundException when no file references the image at {@code HEAD}
     * @throws IllegalArgumentException when the references disagree on the version to go back to (give it)
     */
    public static Plan plan(Path workTree, List<EditRequest> requests, String image, Optional<ImageVersion> to) {
        List<String> paths = paths(requests);
        Path scratch = null;
        try (Repository repository = new FileRepositoryBuilder().findGitDir(workTree.toAbsolutePath().toFile())
                .setMustExist(true).build(); RevWalk walk = new RevWalk(repository)) {
            scratch = Files.createTempDirectory("gitops-rollback-");
            ObjectId headId = repository.resolve(Constants.HEAD);
            if (headId == null) {
                throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, workTree + " has no commit.");
            }
            RevCommit head = walk.parseCommit(headId);
            Versions current = versions(repository, head, requests, paths, image, scratch);
            if (current.isEmpty()) {
                throw new JournalledEdits.ImageNotFoundException("No reference to " + image + " in "
                        + describe(paths) + " on the branch's tip; nothing to roll back, nothing was pushed.");
            }
            if (to.isPresent()) {
                return ready(image, current.single(image, head).orElse(null), to.get(), Optional.empty(), requests);
            }
            ImageVersion now = current.single(image, head).orElseThrow(() -> new IllegalArgumentException("The references to "
                    + image + " in " + describe(paths) + " have several versions (" + current + "): give the version to"
                    + " roll back to."));
            if (shallow(repository)) {
                throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, "The checkout " + workTree
                        + " is a shallow clone: a rollback needs the branch's history (clone with depth 0).");
            }
            RevCommit commit = head;
            while (commit.getParentCount() > 0) {
                RevCommit parent = walk.parseCommit(commit.getParent(0));
                if (differ(repository, commit, parent, paths)) {
                    Versions before = versions(repository, parent, requests, paths, image, scratch);
                    if (before.isEmpty()) {
                        return nowhere(image, now, image + " first appears in " + describe(paths) + " with " + now
                                + " in commit " + commit.name() + ": there is no earlier version to roll back to.");
                    }
                    if (!before.equals(current)) {
                        String change = commit.name();
                        ImageVersion target = before.single(image, parent).orElseThrow(() -> new IllegalArgumentException(
                                "Before commit " + change + " the references to " + image + " had several versions ("
                                        + before + "): give the version to roll back to."));
                        return ready(image, now, target, Optional.of(change), requests);
                    }
                }
                commit = parent;
            }
            return nowhere(image, now, image + " has had " + now + " in " + describe(paths)
                    + " since the branch's first commit: there is no earlier version to roll back to.");
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT,
                    "Cannot read the history of " + workTree + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    /**
     * Commits and pushes the plan's version race-safely (the {@link UpdateLoop}); after a lost race the same version
     * is set on the new tip. The commit message says it is a rollback, from and to, and which commit it undoes, unless
     * {@code settings} carry a message of their own.
     */
    public static RollbackResult push(ConfigRepository repository, Plan.Ready plan, UpdateLoop.Settings settings,
                                      Optional<String> app, GitProgress progress) {
        List<JournalledEdits.Entry> entries = plan.requests().stream()
                .map(request -> new JournalledEdits.Entry("", request, List.of()))
                .toList();
        WorkTreeEdit replay = JournalledEdits.replay(entries, app);
        List<EditOutcome> applied = new ArrayList<>();
        WorkTreeEdit recorded = workTree -> {
            EditOutcome outcome = replay.apply(workTree);
            applied.add(outcome);
            return outcome;
        };
        UpdateLoop.Settings rollback = settings.message().equals(CommitMessageTemplate.DEFAULT)
                ? settings.withMessage(message(plan.undone())) : settings;
        UpdateResult result = new UpdateLoop(rollback, progress).run(repository, recorded);
        if (result instanceof UpdateResult.Pushed pushed) {
            String from = applied.get(applied.size() - 1).messageVariables().getOrDefault("oldVersion", "");
            return new RollbackResult.RolledBack(plan.image(), from, plan.target(), plan.undone(), pushed.commit(),
                    pushed.branch(), pushed.attempts(), pushed.files());
        }
        UpdateResult.NoChange none = (UpdateResult.NoChange) result;
        return new RollbackResult.AlreadyThere(plan.image(), plan.target(), none.branch(), none.reason());
    }

    /**
     * Rolls back an image of an Application in one of its repositories: clones the branch with its whole history,
     * finds where the image is set as an update would ({@link GitTarget#requests}), plans and pushes.
     *
     * @param options the push branch; depth and checkout paths are overridden (the history and its files are read)
     * @throws TargetRefusedException when the credentials or the branch do not fit (nothing was cloned)
     */
    public static RollbackResult run(GitTarget target, String image, Optional<ImageVersion> to, GitRemote remote,
                                     CloneOptions options, Path checkout, UpdateLoop.Settings settings, GitProgress progress) {
        target.requireCredentialsFit(remote.credentials());
        target.requireBranch(JGitConfigRepository.remoteRefNames(remote, progress));
        CloneOptions clone = target.branch().map(options::withBranch).orElse(options).withDepth(0).withCheckoutPaths(List.of());
        try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(checkout, remote, clone, progress)) {
            List<EditRequest> requests = target.requests(repository.workTree(), request(image));
            if (requests.isEmpty()) {
                throw new JournalledEdits.ImageNotFoundException("No source of Application '" + target.app() + "' in "
                        + target.describe() + " references " + image + "; nothing was pushed.");
            }
            return planAndPush(repository, requests, image, to, settings, Optional.of(target.app()), progress);
        }
    }

    /**
     * Rolls back an image in the files {@code where} names, in a repository named by hand: clones the branch with its
     * whole history, plans and pushes.
     *
     * @param where the paths and kind of file ({@link #request}); its version is ignored
     * @param options the branches; depth and checkout paths are overridden (the history and its files are read)
     */
    public static RollbackResult run(EditRequest where, Optional<ImageVersion> to, GitRemote remote, CloneOptions options,
                                     Path checkout, UpdateLoop.Settings settings, Optional<String> app, GitProgress progress) {
        try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(checkout, remote,
                options.withDepth(0).withCheckoutPaths(List.of()), progress)) {
            return planAndPush(repository, List.of(where), where.updates().get(0).image(), to, settings, app, progress);
        }
    }

    private static RollbackResult planAndPush(JGitConfigRepository repository, List<EditRequest> requests, String image,
                                              Optional<ImageVersion> to, UpdateLoop.Settings settings, Optional<String> app,
                                              GitProgress progress) {
        Plan plan = plan(repository.workTree(), requests, image, to);
        if (plan instanceof Plan.Nowhere nowhere) {
            progress.info(nowhere.result().reason());
            return nowhere.result();
        }
        Plan.Ready ready = (Plan.Ready) plan;
        progress.info("Rolling back " + image + " from " + (ready.read() == null ? "several versions" : ready.read())
                + " to " + ready.target() + ready.undone().map(sha -> " (undoing " + sha.substring(0, 12) + ")").orElse(""));
        return push(repository, ready, settings, app, progress);
    }

    private static Plan ready(String image, ImageVersion read, ImageVersion target, Optional<String> undone,
                              List<EditRequest> requests) {
        ImageUpdate update = target.updateOf(image);
        List<EditRequest> edits = requests.stream()
                .map(r -> new EditRequest(List.of(update), r.paths(), r.kind(), r.keyPaths(), r.helmKeyPaths(), r.argocdSourceApp()))
                .toList();
        return new Plan.Ready(image, read, target, undone, edits);
    }

    private static Plan nowhere(String image, ImageVersion current, String reason) {
        return new Plan.Nowhere(new RollbackResult.NothingToRollBackTo(image, current, reason));
    }

    /** {@code Roll back IMAGE from OLD to NEW}, the commit it undoes, then the default message's body. */
    static CommitMessageTemplate message(Optional<String> undone) {
        List<String> lines = new ArrayList<>(List.of("Roll back ${image} from ${oldVersion} to ${newVersion}", ""));
        undone.ifPresent(sha -> lines.addAll(List.of("Undoes the change of " + sha + ".", "")));
        lines.addAll(List.of("App: ${app}", "Files: ${files}", "Build: ${buildUrl}", "", "[skip ci]"));
        return new CommitMessageTemplate(String.join("\n", lines));
    }

    /**
     * The tags and digests the references to the image hold at a commit, as the editor reads them: each request is
     * planned with a tag no file holds, and the values it would replace are the image's.
     */
    private static Versions versions(Repository repository, RevCommit commit, List<EditRequest> requests, List<String> paths,
                                     String image, Path scratch) throws IOException {
        materialise(repository, commit, paths, scratch);
        Set<String> tags = new TreeSet<>();
        Set<String> digests = new TreeSet<>();
        ImageUpdate probe = ImageUpdate.tag(image, PROBE_TAG);
        for (EditRequest request : requests) {
            List<String> present = request.paths().stream().filter(path -> Files.exists(scratch.resolve(path))).toList();
            if (!request.paths().isEmpty() && present.isEmpty()) {
                continue; // the files do not exist yet at this commit
            }
            EditRequest probing = new EditRequest(List.of(probe), present, request.kind(), request.keyPaths(),
                    request.helmKeyPaths(), request.argocdSourceApp());
            for (Change change : new ManifestEditor(scratch).plan(probing).changes()) {
                JournalledEdits.collect(change.field(), change.oldValue(), tags, digests);
            }
        }
        return new Versions(tags, digests);
    }

    /** The versions of one commit; only tags and digests are compared, never the files' layout. */
    private record Versions(Set<String> tags, Set<String> digests) {

        boolean isEmpty() {
            return tags.isEmpty() && digests.isEmpty();
        }

        /** The one version all references share, or empty when they disagree. */
        Optional<ImageVersion> single(String image, RevCommit at) {
            if (tags.size() > 1 || digests.size() > 1) {
                return Optional.empty();
            }
            String tag = tags.isEmpty() ? null : tags.iterator().next();
            String digest = digests.isEmpty() ? null : digests.iterator().next();
            try {
                return Optional.of(new ImageVersion(tag, digest));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The reference to " + image + " at commit " + at.name()
                        + " holds no version a rollback can set (" + e.getMessage() + "): give the version to roll back to.", e);
            }
        }

        @Override
        public String toString() {
            Set<String> all = new LinkedHashSet<>(tags);
            all.addAll(digests);
            return String.join(", ", all);
        }
    }

    /** Writes the regular files under {@code paths} at {@code commit} into an emptied {@code scratch}. */
    private static void materialise(Repository repository, RevCommit commit, List<String> paths, Path scratch) throws IOException {
        clear(scratch);
        try (TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            if (!paths.isEmpty()) {
                tree.setFilter(PathFilterGroup.createFromStrings(paths));
            }
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    continue; // a link or a submodule: the editor never follows them in a checkout either
                }
                Path file = scratch.resolve(tree.getPathString()).normalize();
                Path parent = file.getParent();
                if (parent == null || !file.startsWith(scratch)) {
                    continue;
                }
                Files.createDirectories(parent);
                try (OutputStream out = Files.newOutputStream(file)) {
                    repository.open(tree.getObjectId(0), Constants.OBJ_BLOB).copyTo(out);
                }
            }
        }
    }

    /** Whether a commit changed any of the paths (all files when there are none) from its parent. */
    private static boolean differ(Repository repository, RevCommit commit, RevCommit parent, List<String> paths)
            throws IOException {
        try (TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(commit.getTree());
            tree.addTree(parent.getTree());
            tree.setRecursive(true);
            tree.setFilter(paths.isEmpty() ? TreeFilter.ANY_DIFF
                    : AndTreeFilter.create(PathFilterGroup.createFromStrings(paths), TreeFilter.ANY_DIFF));
            return tree.next();
        }
    }

    /** The requests' paths; empty when one of them is the whole root. */
    private static List<String> paths(List<EditRequest> requests) {
        Set<String> paths = new LinkedHashSet<>();
        for (EditRequest request : requests) {
            if (request.paths().isEmpty() || request.paths().contains(".")) {
                return List.of();
            }
            request.paths().forEach(path -> paths.add(path.replaceAll("/+$", "")));
        }
        return List.copyOf(paths);
    }

    private static String describe(List<String> paths) {
        return paths.isEmpty() ? "the repository" : String.join(", ", paths);
    }

    private static boolean shallow(Repository repository) throws IOException {
        return !repository.getObjectDatabase().getShallowCommits().isEmpty();
    }

    private static void clear(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(directory)).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try {
            clear(directory);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a temporary directory left behind holds only files of the repository's history
        }
    }
}
