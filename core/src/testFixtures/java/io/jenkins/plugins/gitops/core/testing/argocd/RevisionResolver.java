package io.jenkins.plugins.gitops.core.testing.argocd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Resolves a revision ({@code targetRevision}, a sync's {@code revision}) to a commit SHA the way the
 * repo-server does with {@code git ls-remote}: a full SHA as is, {@code ""}/{@code HEAD} to the default
 * branch, else a branch, then a tag (peeled), then a full ref name. Reads a real git repository with JGit,
 * fresh on every call so that a test's push is seen at once; without one, a table the test fills.
 */
final class RevisionResolver {

    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");

    private final Path gitDir;
    private final Repository repository;
    private final Map<String, String> table = new ConcurrentHashMap<>();

    private RevisionResolver(Path gitDir, Repository repository) {
        this.gitDir = gitDir;
        this.repository = repository;
    }

    static RevisionResolver ofGitDir(Path gitDir) {
        return new RevisionResolver(gitDir, null);
    }

    static RevisionResolver ofRepository(Repository repository) {
        return new RevisionResolver(null, repository);
    }

    /** Without a repository: every name resolves to what {@link #set} put, nothing else resolves. */
    static RevisionResolver ofTable() {
        return new RevisionResolver(null, null);
    }

    void set(String name, String sha) {
        if (!FULL_SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a 40-hex commit SHA: " + sha);
        }
        table.put(name, sha.toLowerCase(Locale.ROOT));
    }

    /**
     * The commit SHA, or an {@link ArgoError} {@code error resolving repo revision: ...} with code 9
     * (FailedPrecondition), as the sync handler wraps it (argo-cd v3.5.1 server/application/application.go:2259).
     */
    String resolve(String revision) {
        String name = revision == null || revision.isEmpty() ? "HEAD" : revision;
        if (FULL_SHA.matcher(name).matches()) {
            return name.toLowerCase(Locale.ROOT);
        }
        String sha = table.get(name);
        if (sha == null && (gitDir != null || repository != null)) {
            sha = fromGit(name);
        }
        if (sha == null) {
            throw new ArgoError(ArgoError.FAILED_PRECONDITION,
                    "error resolving repo revision: unable to resolve '" + name + "' to a commit SHA");
        }
        return sha;
    }

    private String fromGit(String name) {
        if (repository != null) {
            return lookUp(repository, name);
        }
        try (Repository opened = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            return lookUp(opened, name);
        } catch (IOException e) {
            throw new ArgoError(ArgoError.FAILED_PRECONDITION,
                    "error resolving repo revision: cannot read repository " + gitDir + ": " + e.getMessage());
        }
    }

    private static String lookUp(Repository repo, String name) {
        try {
            for (String candidate : new String[] {
                    "HEAD".equals(name) ? "HEAD" : "refs/heads/" + name, "refs/tags/" + name, name}) {
                Ref ref = repo.exactRef(candidate);
                if (ref != null && ref.getObjectId() != null) {
                    try (RevWalk walk = new RevWalk(repo)) {
                        ObjectId commit = walk.peel(walk.parseAny(ref.getObjectId())).getId();
                        return commit.name();
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new ArgoError(ArgoError.FAILED_PRECONDITION,
                    "error resolving repo revision: " + name + ": " + e.getMessage());
        }
    }
}
