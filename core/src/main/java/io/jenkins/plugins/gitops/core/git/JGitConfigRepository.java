package io.jenkins.plugins.gitops.core.git;

import io.jenkins.plugins.gitops.core.FileNameEncoding;
import io.jenkins.plugins.gitops.core.TreeFile;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand.ResetType;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.dircache.Checkout;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ObjectStream;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.signing.ssh.SshSignerFactory;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.FilterSpec;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** {@link ConfigRepository} on JGit: the same on-disk repository the {@code git} command line uses. */
public final class JGitConfigRepository implements ConfigRepository {

    private final Git git;
    private final GitRemote remote;
    private final GitTransport transport;
    private final String baseBranch;
    private final String pushBranch;
    private final List<String> checkoutPaths;
    /** Which files under the checkout paths are written to disk; empty: all of them. */
    private final Optional<CheckoutSelection> selection;
    /** The files the last sparse checkout wrote, to remove before the next one writes another commit's. */
    private final List<String> onDisk = new ArrayList<>();
    /** A partial clone: every fetch leaves out the blobs, and {@link #checkOutPaths} fetches those it writes. */
    private final boolean blobless;
    private final GitProgress progress;
    /** Whether the last {@link #resetToRemote()} checked out the push branch's tip rather than the base's. */
    private boolean onPushBranchTip;
    /**
     * Whether the index is HEAD's tree with {@link #staged}'s files in place: so after this object wrote it from HEAD,
     * and after each commit. Not for a checkout opened as found, whose index may hold anything.
     */
    private boolean indexIsHeadPlusStaged;
    /** The files staged since the index was last HEAD's tree: each path's new entry, or empty for a removal. */
    private final Map<String, Optional<TreeEdit.File>> staged = new TreeMap<>();

    private JGitConfigRepository(
            Git git, GitRemote remote, GitTransport transport, String baseBranch, String pushBranch,
            List<String> checkoutPaths, Optional<CheckoutSelection> selection, boolean blobless, GitProgress progress) {
        this.git = git;
        this.remote = remote;
        this.transport = transport;
        this.baseBranch = baseBranch;
        this.pushBranch = pushBranch;
        this.checkoutPaths = checkoutPaths;
        this.selection = selection;
        this.blobless = blobless;
        this.progress = GitProgress.redacted(progress);
    }

    /**
     * Clones one branch of the remote into {@code directory} (which must be absent or empty). The work tree is written
     * only once its names are known to be representable ({@link #checkFileNames}); a clone that fails after it began
     * is removed, so that no half-made checkout is left to be taken for one.
     */
    public static JGitConfigRepository cloneInto(Path directory, GitRemote remote, CloneOptions options, GitProgress sink) {
        GitProgress progress = GitProgress.redacted(sink);
        GitTransport transport = new GitTransport(remote, progress);
        boolean existed = Files.exists(directory);
        Git git = null;
        try {
            String base = options.branch().orElseGet(() -> defaultBranch(remote, transport));
            String push = options.pushBranch().orElse(base);
            progress.info("Cloning " + remote.displayUrl() + " (branch " + base
                    + (options.depth() == 0 ? ", full history" : ", depth " + options.depth()) + ")");
            // Only some paths on disk: transfer only what changes, the trees and the blobs of those paths (as
            // git clone --filter=blob:none --sparse does). A server that refuses filters gets today's clone.
            boolean blobless = false;
            if (!options.checkoutPaths().isEmpty() && options.checkoutPaths().stream().noneMatch(JGitConfigRepository::isRoot)) {
                try {
                    git = cloneCommand(directory, remote, base, options, withoutBlobs(transport)).call();
                    blobless = true;
                } catch (TransportException e) {
                    if (!filterRefused(e)) {
                        throw e;
                    }
                    progress.info(remote.displayUrl() + " does not serve partial clones; cloning the files' contents too");
                }
            }
            if (git == null) {
                git = cloneCommand(directory, remote, base, options, transport).call();
            }
            if (blobless) {
                markPartialClone(git.getRepository());
            }
            if (git.getRepository().resolve(Constants.HEAD) == null) {
                throw new GitOperationException(
                        GitOperationException.Kind.BAD_INPUT,
                        "The branch '" + base + "' does not exist in " + remote.displayUrl() + ".");
            }
            JGitConfigRepository repository =
                    new JGitConfigRepository(git, remote, transport, base, push, options.checkoutPaths(), options.selection(), blobless, progress);
            if (!push.equals(base)) {
                // Same commit, so nothing to write: a checkout here would write the whole tree (and, without blobs, fail).
                git.branchCreate().setName(push).setStartPoint(Constants.HEAD).call();
                RefUpdate.Result linked = git.getRepository().updateRef(Constants.HEAD).link(Constants.R_HEADS + push);
                if (linked != RefUpdate.Result.FORCED && linked != RefUpdate.Result.NEW && linked != RefUpdate.Result.NO_CHANGE) {
                    throw new IOException("Cannot switch to the branch " + push + ": " + linked);
                }
                repository.resetToRemote();
            } else {
                repository.checkFileNames(repository.headCommit(), remote.displayUrl());
                if (repository.sparse()) {
                    repository.checkOutSparse(repository.headCommit());
                } else {
                    repository.checkOutTree(repository.headCommit());
                }
            }
            return repository;
        } catch (GitAPIException | IOException | RuntimeException e) {
            GitOperationException failure = transport.failure("clone", e);
            if (git != null) {
                git.close();
                removeClone(directory, existed, failure); // JGit removes what it made when the clone itself fails
            }
            transport.close();
            throw failure;
        }
    }

    /** Deletes the clone: the directory when the clone made it, else what the clone put into it. */
    private static void removeClone(Path directory, boolean existed, Exception failure) {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (existed && p.equals(directory)) {
                    continue;
                }
                Files.delete(p);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static CloneCommand cloneCommand(
            Path directory, GitRemote remote, String base, CloneOptions options, TransportConfigCallback callback) {
        CloneCommand clone = Git.cloneRepository()
                .setURI(remote.url())
                .setDirectory(directory.toFile())
                .setBranch(Constants.R_HEADS + base)
                .setBranchesToClone(List.of(Constants.R_HEADS + base))
                .setCloneAllBranches(false)
                .setNoTags()
                .setNoCheckout(true) // written after checkFileNames
                .setTransportConfigCallback(callback);
        if (options.depth() > 0) {
            clone.setDepth(options.depth());
        }
        return clone;
    }

    private static boolean isRoot(String path) {
        return Path.of(path).normalize().toString().isEmpty();
    }

    /**
     * Fetches without blobs ({@code --filter=blob:none}). JGit cannot fetch a missing object on demand: every blob
     * it reads must have been fetched by {@link #fetchBlobs}, so fetched objects are never walked for a check.
     */
    private static TransportConfigCallback withoutBlobs(GitTransport transport) {
        FilterSpec noBlobs;
        try {
            noBlobs = FilterSpec.fromFilterLine("blob:none");
        } catch (PackProtocolException e) {
            throw new IllegalStateException("JGit no longer parses the filter blob:none", e);
        }
        return fetch -> {
            transport.configure(fetch);
            fetch.setFilterSpec(noBlobs);
            fetch.setCheckFetchedObjects(false);
        };
    }

    /** JGit refuses to send a filter that the server did not advertise, before it asks for anything. */
    private static boolean filterRefused(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PackProtocolException && String.valueOf(t.getMessage()).contains("filter")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records the partial clone as git does, so that the git command line in this checkout fetches a missing blob
     * when it needs one; and turns off automatic garbage collection, which would walk the blobs that are not there.
     */
    private static void markPartialClone(Repository repository) throws IOException {
        StoredConfig config = repository.getConfig();
        config.setBoolean("remote", Constants.DEFAULT_REMOTE_NAME, "promisor", true);
        config.setString("remote", Constants.DEFAULT_REMOTE_NAME, "partialclonefilter", "blob:none");
        config.setInt("gc", null, "auto", 0);
        config.save();
    }

    /**
     * Opens the checkout that contains {@code workTree} (its root or any directory inside). Fetches and pushes go to {@code remote}'s URL (typically the checkout's
     * {@code origin}); the base branch is the branch checked out.
     */
    public static JGitConfigRepository open(Path workTree, GitRemote remote, Optional<String> branchToPush, GitProgress progress) {
        Optional<String> pushBranch = branchToPush.map(CloneOptions::branchName);
        Repository repository;
        try {
            FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(workTree.toAbsolutePath().toFile());
            if (builder.getGitDir() == null) {
                throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, workTree + " is not inside a git checkout.");
            }
            repository = builder.setMustExist(true).build();
            if (repository.resolve(Constants.HEAD) == null) {
                repository.close();
                throw new GitOperationException(
                        GitOperationException.Kind.BAD_INPUT, workTree + " has no commit checked out.");
            }
            String branch = repository.getBranch();
            if (ObjectId.isId(branch)) {
                repository.close();
                throw new GitOperationException(
                        GitOperationException.Kind.BAD_INPUT,
                        workTree + " has a detached HEAD; check out the branch to push to, or pass the push branch.");
            }
            JGitConfigRepository opened = new JGitConfigRepository(
                    new Git(repository, true), remote, new GitTransport(remote, GitProgress.redacted(progress)), branch,
                    pushBranch.orElse(branch), List.of(), Optional.empty(), false, progress);
            try {
                // The status of a name this JVM cannot represent reads as a deleted file, which a commit would delete.
                opened.checkFileNames(opened.headCommit(), workTree.toString());
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            return opened;
        } catch (IOException e) {
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT, workTree + " is not a git checkout: " + e.getMessage(), e);
        }
    }

    /** The URL of the checkout's {@code origin} remote, for callers that open a checkout without being told one. */
    public static Optional<String> originUrl(Path workTree) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(workTree.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, workTree + " is not inside a git checkout.");
        }
        try (Repository repository = builder.setMustExist(true).build()) {
            return Optional.ofNullable(repository.getConfig().getString("remote", Constants.DEFAULT_REMOTE_NAME, "url"));
        } catch (IOException e) {
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT, workTree + " is not a git checkout: " + e.getMessage(), e);
        }
    }

    /**
     * The names of the refs the remote advertises, as {@code git ls-remote} lists them ({@code HEAD},
     * {@code refs/heads/main}, {@code refs/tags/v1.0}): tells a branch from a tag before anything is cloned.
     */
    public static Set<String> remoteRefNames(GitRemote remote, GitProgress sink) {
        try (GitTransport transport = new GitTransport(remote, GitProgress.redacted(sink))) {
            try {
                return Set.copyOf(Git.lsRemoteRepository()
                        .setRemote(remote.url())
                        .setTags(false)
                        .setTransportConfigCallback(transport)
                        .callAsMap().keySet());
            } catch (Exception e) {
                throw transport.failure("list the branches of", e);
            }
        }
    }

    /** The remote's default branch (what its {@code HEAD} points at), for a caller that must name it before cloning. */
    public static String defaultBranch(GitRemote remote, GitProgress progress) {
        try (GitTransport transport = new GitTransport(remote, GitProgress.redacted(progress))) {
            return defaultBranch(remote, transport);
        }
    }

    private static String defaultBranch(GitRemote remote, GitTransport transport) {
        try {
            Map<String, Ref> refs = Git.lsRemoteRepository()
                    .setRemote(remote.url())
                    .setTransportConfigCallback(transport)
                    .callAsMap();
            Ref head = refs.get(Constants.HEAD);
            if (head != null && head.isSymbolic()) {
                return Repository.shortenRefName(head.getTarget().getName());
            }
            if (head != null) {
                for (Ref ref : refs.values()) {
                    if (ref.getName().startsWith(Constants.R_HEADS) && head.getObjectId().equals(ref.getObjectId())) {
                        return Repository.shortenRefName(ref.getName());
                    }
                }
            }
            throw new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT,
                    remote.displayUrl() + " does not say which branch is its default; name the branch to clone.");
        } catch (Exception e) {
            throw transport.failure("list the branches of", e);
        }
    }

    @Override
    public Path workTree() {
        return git.getRepository().getWorkTree().toPath();
    }

    @Override
    public String pushBranch() {
        return pushBranch;
    }

    @Override
    public String baseBranch() {
        return baseBranch;
    }

    @Override
    public String head() {
        return headCommit().name();
    }

    private ObjectId headCommit() {
        try {
            ObjectId head = git.getRepository().resolve(Constants.HEAD);
            if (head == null) {
                throw new GitOperationException(GitOperationException.Kind.BAD_INPUT, workTree() + " has no commit.");
            }
            return head;
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Cannot read HEAD in " + workTree(), e);
        }
    }

    @Override
    public String resetToRemote() {
        try {
            String source = pushBranch.equals(baseBranch) || !remoteHasBranch(pushBranch) ? baseBranch : pushBranch;
            onPushBranchTip = false;
            FetchCommand fetch = git.fetch()
                    .setRemote(remote.url())
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + source + ":" + Constants.R_REMOTES
                            + Constants.DEFAULT_REMOTE_NAME + "/" + source))
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setTransportConfigCallback(blobless ? withoutBlobs(transport) : transport);
            if (!git.getRepository().getObjectDatabase().getShallowCommits().isEmpty()) {
                fetch.setDepth(1); // stay shallow: the loop only ever needs the tip
            }
            FetchResult fetched = fetch.call();
            Ref tip = fetched.getAdvertisedRef(Constants.R_HEADS + source);
            if (tip == null) {
                throw new GitOperationException(
                        GitOperationException.Kind.BAD_INPUT,
                        "The branch '" + source + "' does not exist in " + remote.displayUrl() + ".");
            }
            checkFileNames(tip.getObjectId(), remote.displayUrl());
            if (sparse()) {
                git.reset().setMode(ResetType.SOFT).setRef(tip.getObjectId().name()).call();
                checkOutSparse(tip.getObjectId());
            } else {
                git.reset().setMode(ResetType.HARD).setRef(tip.getObjectId().name()).call();
                indexIsHead();
            }
            onPushBranchTip = !source.equals(baseBranch);
            return tip.getObjectId().name();
        } catch (Exception e) {
            throw transport.failure("fetch from", e);
        }
    }

    /**
     * Refuses, before anything is written, a tree that holds a path (under the checkout paths) this JVM cannot name on
     * disk: checked out, it would be written with {@code ?} in place of the characters the JVM's file name encoding
     * lacks, or fail half-way; and read back, it would look deleted. Nothing to check when file names are UTF-8.
     *
     * @param where the repository as the message names it
     */
    private void checkFileNames(ObjectId commit, String where) {
        if (FileNameEncoding.representsEveryName()) {
            return;
        }
        Repository repository = git.getRepository();
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            if (!checkoutPaths.isEmpty() && checkoutPaths.stream().noneMatch(JGitConfigRepository::isRoot)) {
                tree.setFilter(PathFilterGroup.createFromStrings(checkoutPaths));
            }
            while (tree.next()) {
                String path = tree.getPathString();
                if (!FileNameEncoding.canRepresent(path)) {
                    throw new GitOperationException(GitOperationException.Kind.TRANSPORT,
                            FileNameEncoding.quoted(path) + " in " + where + ": " + FileNameEncoding.refusal());
                }
            }
        } catch (IOException e) {
            throw new GitOperationException(
                    GitOperationException.Kind.TRANSPORT, "Cannot read the tree of " + commit.name() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the whole tree of {@code commit} into the fresh clone's empty work tree, as the clone itself would. */
    private void checkOutTree(ObjectId commit) throws IOException {
        Repository repository = git.getRepository();
        try (RevWalk walk = new RevWalk(repository)) {
            new DirCacheCheckout(repository, repository.lockDirCache(), walk.parseCommit(commit).getTree()).checkout();
        }
        indexIsHead();
    }

    private void indexIsHead() {
        staged.clear();
        indexIsHeadPlusStaged = true;
    }

    /** Whether only some files are on disk: those under the checkout paths, and of those the ones the selection needs. */
    private boolean sparse() {
        return !checkoutPaths.isEmpty() || selection.isPresent();
    }

    /**
     * Makes the index {@code commit}'s tree and writes to disk only the files under the checkout paths that the selection
     * needs (in a partial clone, after fetching the paths' contents); every other file is in the index only, marked
     * assume-unchanged (JGit cannot mark it skip-worktree), and {@link #changedFiles} looks at the files written. One walk of the tree, one write of
     * the index: a 20,000-file tree costs a few files on disk.
     */
    private void checkOutSparse(ObjectId commit) throws IOException {
        Repository repository = git.getRepository();
        Path root = workTree();
        List<String> paths = new ArrayList<>();
        if (checkoutPaths.isEmpty()) {
            paths.add(""); // the whole tree, as far as the selection needs it
        }
        for (String path : checkoutPaths) {
            Path target = root.resolve(path).normalize();
            if (!target.startsWith(root) || target.startsWith(root.resolve(Constants.DOT_GIT))) {
                throw new GitOperationException(
                        GitOperationException.Kind.BAD_INPUT, "The path '" + path + "' is outside the repository.");
            }
            paths.add(root.relativize(target).toString().replace('\\', '/'));
        }
        // A file the new tip no longer has, or no longer selects, must not survive.
        for (String file : onDisk) {
            Files.deleteIfExists(root.resolve(file));
        }
        onDisk.clear();
        for (String path : paths) {
            if (!path.isEmpty()) {
                deleteRecursively(root.resolve(path));
            }
        }
        if (blobless) {
            fetchBlobs(commit);
        }
        DirCache index = lockIndex();
        try (RevWalk walk = new RevWalk(repository);
                TreeWalk tree = new TreeWalk(repository);
                ObjectReader reader = repository.newObjectReader()) {
            tree.setOperationType(TreeWalk.OperationType.CHECKOUT_OP);
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            DirCacheBuilder builder = index.builder();
            Checkout checkout = new Checkout(repository);
            Set<String> directories = new TreeSet<>();
            while (tree.next()) {
                String path = tree.getPathString();
                FileMode mode = tree.getFileMode(0);
                DirCacheEntry entry = new DirCacheEntry(path);
                entry.setFileMode(mode);
                entry.setObjectId(tree.getObjectId(0));
                String under = checkoutPathOf(path, paths);
                if (under != null && mode != FileMode.GITLINK && needs(path, mode, entry.getObjectId(), reader)) {
                    checkout.checkout(entry, new DirCacheCheckout.CheckoutMetadata(
                            tree.getEolStreamType(TreeWalk.OperationType.CHECKOUT_OP),
                            tree.getFilterCommand(Constants.ATTR_FILTER_TYPE_SMUDGE)), reader, path);
                    onDisk.add(path);
                } else {
                    // Never written, so absent: marked assume-unchanged, as `git update-index --assume-unchanged` does,
                    // so that JGit's status and the git command line read it as unchanged rather than deleted, and
                    // a later commit in this checkout (`gitops push`, `git commit -a`) keeps it.
                    entry.setAssumeValid(true);
                    if (under != null && !path.equals(under)) {
                        directories.add(under); // the edit looks for its paths: a directory with no file written is there
                    }
                }
                builder.add(entry);
            }
            if (!builder.commit()) {
                throw new IOException("Cannot write the index of " + root);
            }
            indexIsHead();
            for (String directory : directories) {
                Files.createDirectories(root.resolve(directory));
            }
        } finally {
            index.unlock();
        }
    }

    /** The checkout path that holds {@code path} ({@code ""} is the whole tree), or null when none does. */
    private static String checkoutPathOf(String path, List<String> paths) {
        for (String p : paths) {
            if (p.isEmpty() || path.equals(p) || (path.startsWith(p) && path.charAt(p.length()) == '/')) {
                return p;
            }
        }
        return null;
    }

    private boolean needs(String path, FileMode mode, ObjectId blob, ObjectReader reader) throws IOException {
        if (selection.isEmpty()) {
            return true;
        }
        return selection.get().needs(new TreeFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public boolean symbolicLink() {
                return mode == FileMode.SYMLINK;
            }

            @Override
            public long size() throws IOException {
                return reader.getObjectSize(blob, Constants.OBJ_BLOB);
            }

            @Override
            public byte[] content() throws IOException {
                return reader.open(blob, Constants.OBJ_BLOB).getCachedBytes(Integer.MAX_VALUE);
            }
        });
    }

    /**
     * Fetches the blobs under the checkout paths at {@code commit} that the partial clone lacks. JGit fetches
     * objects by id, but into this repository it would announce what it has and get nothing back; so they come into an
     * empty repository in memory and are copied over. The server must accept wants of unadvertised objects, as
     * servers that allow filters do.
     */
    private void fetchBlobs(ObjectId commit) throws IOException {
        Repository repository = git.getRepository();
        List<ObjectId> missing = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            tree.setFilter(PathFilterGroup.createFromStrings(checkoutPaths));
            while (tree.next()) {
                ObjectId id = tree.getObjectId(0);
                if (tree.getFileMode(0).getObjectType() == Constants.OBJ_BLOB && !repository.getObjectDatabase().has(id)) {
                    missing.add(id);
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        InMemoryRepository fetched = new InMemoryRepository(new DfsRepositoryDescription("blobs"));
        try (Transport fetch = Transport.open(fetched, new URIish(remote.url()));
                ObjectReader reader = fetched.newObjectReader();
                ObjectInserter inserter = repository.newObjectInserter()) {
            transport.configure(fetch);
            fetch.setCheckFetchedObjects(false);
            fetch.fetch(NullProgressMonitor.INSTANCE, missing.stream().map(id -> new RefSpec(id.name())).toList());
            for (ObjectId id : missing) {
                ObjectLoader blob = reader.open(id, Constants.OBJ_BLOB);
                try (ObjectStream content = blob.openStream()) {
                    inserter.insert(Constants.OBJ_BLOB, blob.getSize(), content);
                }
            }
            inserter.flush();
        } catch (URISyntaxException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private boolean remoteHasBranch(String branch) throws Exception {
        return Git.lsRemoteRepository()
                .setRemote(remote.url())
                .setHeads(true)
                .setTransportConfigCallback(transport)
                .callAsMap()
                .containsKey(Constants.R_HEADS + branch);
    }

    @Override
    public Optional<String> pushBranchTipMessage() {
        if (!onPushBranchTip) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            return Optional.of(walk.parseCommit(headCommit()).getFullMessage());
        } catch (IOException e) {
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Cannot read HEAD's message in " + workTree(), e);
        }
    }

    @Override
    public List<String> changedFiles() {
        try {
            StatusCommand command = git.status().setIgnoreSubmodules(org.eclipse.jgit.submodule.SubmoduleWalk.IgnoreSubmoduleMode.ALL);
            // Only the files written: the others are marked unchanged, and a status over the whole index costs more than the edit.
            if (selection.isPresent()) {
                if (onDisk.isEmpty()) {
                    return List.of();
                }
                onDisk.forEach(command::addPath);
            } else {
                checkoutPaths.forEach(command::addPath);
            }
            Status status = command.call();
            TreeSet<String> files = new TreeSet<>();
            files.addAll(status.getModified());
            files.addAll(status.getChanged());
            files.addAll(status.getAdded());
            files.addAll(status.getRemoved());
            files.addAll(status.getMissing());
            return List.copyOf(files);
        } catch (Exception e) {
            throw new GitOperationException(
                    GitOperationException.Kind.TRANSPORT, "Cannot read the status of " + workTree() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The index, locked, and not bound to the repository. Bound, JGit would re-read at every write each entry without
     * stat data through a walk of the whole index and work tree; here those entries are the files never written, absent
     * and marked assume-unchanged, which that walk only passes over, and in a 20,000-file tree it cost more than the edit.
     */
    private DirCache lockIndex() throws IOException {
        Repository repository = git.getRepository();
        return DirCache.lock(repository.getIndexFile(), repository.getFS());
    }

    /**
     * Stages the files as {@code git add} and {@code git rm --cached} would, editing only their entries of the index:
     * each file is read through the check-in filters, with the attributes of the work tree, else of HEAD's tree.
     */
    @Override
    public void stage(Collection<String> paths) {
        if (paths.isEmpty()) {
            return;
        }
        Repository repository = git.getRepository();
        try {
            DirCache index = lockIndex();
            try (RevWalk walk = new RevWalk(repository);
                    TreeWalk files = new TreeWalk(repository);
                    ObjectInserter inserter = repository.newObjectInserter()) {
                files.setOperationType(TreeWalk.OperationType.CHECKIN_OP);
                files.addTree(new FileTreeIterator(repository));
                files.addTree(walk.parseCommit(headCommit()).getTree());
                files.setFilter(PathFilterGroup.createFromStrings(paths));
                files.setRecursive(true);
                DirCacheEditor editor = index.editor();
                Map<String, Optional<TreeEdit.File>> edited = new TreeMap<>();
                while (files.next()) {
                    FileTreeIterator file = files.getTree(0, FileTreeIterator.class);
                    if (file == null) {
                        continue; // in HEAD only: removed below
                    }
                    ObjectId blob;
                    try (InputStream content = file.openEntryStream()) {
                        blob = inserter.insert(Constants.OBJ_BLOB, file.getEntryContentLength(), content);
                    }
                    FileMode mode = file.getEntryFileMode();
                    long length = file.getEntryLength();
                    Instant modified = file.getEntryLastModifiedInstant();
                    edited.put(files.getPathString(), Optional.of(new TreeEdit.File(mode, blob)));
                    editor.add(new DirCacheEditor.PathEdit(files.getPathString()) {
                        @Override
                        public void apply(DirCacheEntry entry) {
                            entry.setFileMode(mode);
                            entry.setObjectId(blob);
                            entry.setLength(length);
                            entry.setLastModified(modified);
                            entry.setAssumeValid(false);
                        }
                    });
                }
                for (String path : paths) {
                    if (!edited.containsKey(path) && !Files.exists(workTree().resolve(path))) {
                        editor.add(new DirCacheEditor.DeletePath(path));
                        edited.put(path, Optional.empty());
                    }
                }
                inserter.flush();
                if (!editor.commit()) {
                    throw new IOException("cannot write the index");
                }
                staged.putAll(edited); // only once the index holds them too
            } finally {
                index.unlock();
            }
        } catch (GitOperationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new GitOperationException(
                    GitOperationException.Kind.TRANSPORT, "Cannot stage " + paths + " in " + workTree() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Commits the index onto HEAD, as {@code git commit} without hooks does, HEAD moved only from the commit it was read
     * at. When the index is HEAD's tree plus what {@link #stage} put in, only the trees on the staged files' paths are
     * written ({@link TreeEdit}); otherwise the trees of the whole index.
     */
    @Override
    public Optional<String> commit(CommitSpec spec) {
        Repository repository = git.getRepository();
        try (RevWalk walk = new RevWalk(repository); ObjectInserter inserter = repository.newObjectInserter()) {
            RevCommit head = walk.parseCommit(headCommit());
            ObjectId tree = indexIsHeadPlusStaged
                    ? TreeEdit.apply(walk.getObjectReader(), inserter, head.getTree(), staged)
                    : DirCache.read(repository).writeTree(inserter);
            if (tree.equals(head.getTree())) {
                return Optional.empty();
            }
            PersonIdent committer = new PersonIdent(spec.committer().name(), spec.committer().email());
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setParentId(head);
            commit.setAuthor(new PersonIdent(spec.author().name(), spec.author().email()));
            commit.setCommitter(committer);
            commit.setMessage(spec.message());
            if (spec.signing().isPresent()) {
                CommitSigning signing = spec.signing().get();
                Config config = new Config();
                config.setString("gpg", null, "format", "ssh");
                new SshSignerFactory().create().signObject(repository, new GpgConfig(config), commit, committer,
                        signing.sshPrivateKeyFile().toAbsolutePath().toString(),
                        new UsernamePasswordCredentialsProvider("", signing.passphrase().orElse("")));
            }
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repository.updateRef(Constants.HEAD);
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(head);
            update.setRefLogMessage("commit: " + firstLine(spec.message()), false);
            RefUpdate.Result moved = update.forceUpdate();
            if (moved != RefUpdate.Result.NEW && moved != RefUpdate.Result.FORCED && moved != RefUpdate.Result.FAST_FORWARD) {
                throw new IOException("HEAD moved while the commit was made (" + moved + ")");
            }
            indexIsHead();
            return Optional.of(id.name());
        } catch (GitOperationException e) {
            throw e;
        } catch (Exception e) {
            throw new GitOperationException(
                    spec.signing().isPresent() ? GitOperationException.Kind.BAD_INPUT : GitOperationException.Kind.TRANSPORT,
                    "Cannot commit in " + workTree() + ": " + e.getMessage()
                            + (spec.signing().isPresent() ? " (check the signing key file and its passphrase)" : ""),
                    e);
        }
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    @Override
    public PushOutcome push() {
        String ref = Constants.R_HEADS + pushBranch;
        Iterable<PushResult> results;
        try {
            results = git.push()
                    .setRemote(remote.url())
                    .setRefSpecs(new RefSpec(Constants.HEAD + ":" + ref))
                    .setForce(false)
                    .setTransportConfigCallback(transport)
                    .call();
        } catch (Exception e) {
            throw transport.failure("push to", e);
        }
        for (PushResult result : results) {
            RemoteRefUpdate update = result.getRemoteUpdate(ref);
            if (update == null) {
                continue;
            }
            String serverText = serverText(update, result);
            switch (update.getStatus()) {
                case OK:
                    return new PushOutcome.Accepted(update.getNewObjectId().name());
                case UP_TO_DATE:
                    return new PushOutcome.AlreadyOnBranch(update.getNewObjectId().name());
                case REJECTED_NONFASTFORWARD:
                case REJECTED_REMOTE_CHANGED:
                    return new PushOutcome.LostRace(serverText);
                case REJECTED_OTHER_REASON:
                    return lostRefLock(update.getMessage())
                            ? new PushOutcome.LostRace(serverText)
                            : new PushOutcome.Rejected(serverText);
                default:
                    return new PushOutcome.Rejected(serverText);
            }
        }
        return new PushOutcome.Rejected("the server did not report on " + ref);
    }

    /**
     * git receive-pack checks the old value under the ref lock, after the hooks: a push that loses that race is
     * refused with a lock or update failure rather than "non-fast-forward". A hook's refusal is never a race.
     */
    private static boolean lostRefLock(String message) {
        String text = String.valueOf(message).toLowerCase(Locale.ROOT);
        if (text.contains("hook declined") || text.contains("protected")) {
            return false;
        }
        return text.contains("cannot lock ref") || text.contains("failed to lock") || text.contains("failed to update ref")
                || text.contains("fetch first") || text.contains("non-fast-forward") || text.contains("stale info")
                || text.contains("but expected");
    }

    private String serverText(RemoteRefUpdate update, PushResult result) {
        StringBuilder text = new StringBuilder(update.getStatus().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (update.getMessage() != null && !update.getMessage().isBlank()) {
            text.append(": ").append(update.getMessage().strip());
        }
        String messages = result.getMessages();
        if (messages != null && !messages.isBlank()) {
            text.append(System.lineSeparator()).append(messages.strip());
        }
        return Redaction.apply(text.toString());
    }

    @Override
    public void close() {
        git.close();
        transport.close();
    }
}
