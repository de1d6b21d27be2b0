package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.core.argocd.SyncWaiter;
import io.jenkins.plugins.gitops.core.argocd.WaitRequest;
import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import io.jenkins.plugins.gitops.core.update.ApplicationTargets;
import io.jenkins.plugins.gitops.core.update.GitTarget;
import io.jenkins.plugins.gitops.core.update.ImageVersion;
import io.jenkins.plugins.gitops.core.update.Rollback;
import io.jenkins.plugins.gitops.core.update.RollbackResult;
import io.jenkins.plugins.gitops.core.update.SourceTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gitops rollback}: the image back to its version before the last change, as a new commit, then a sync. */
@Command(
        name = "rollback",
        header = "Set an image back to its previous version as a new commit, then sync",
        mixinStandardHelpOptions = true,
        versionProvider = GitopsCommand.Version.class,
        sortOptions = false,
        description = {
            "Clone the config repository with its history, find the last commit that changed the image's version in"
                    + " the application's files (first parent only) and set the version it had before, or the --to"
                    + " version, as a new commit on top: never forced, the history stays. Pushed race-safely as"
                    + " `gitops update` is: after a lost race the same version is set on the new tip.",
            "Then syncs the application as `gitops sync --revision COMMIT` does, unless --no-sync.",
            "Prints the rollback commit's SHA alone on stdout; progress on stderr."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:rolled back (and synced, healthy)",
            "1:unexpected failure (network, I/O)",
            "2:bad input (an option, the application, a YAML file: the message names it)",
            "3:nothing to change: the branch already has the version to roll back to",
            "4:image not found in the application's files",
            "5:the server refused the push (hook, protected branch)",
            "6:authentication failed (git or Argo CD)",
            "7:the sync failed or the app became Degraded",
            "8:the sync timed out",
            "9:other pushes won the race --max-attempts times",
            "12:nothing to roll back to: the history holds no earlier version"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  export GITOPS_GIT_PASSWORD=$GIT_TOKEN GITOPS_ARGOCD_TOKEN=$ARGOCD_TOKEN",
            "  gitops rollback --app guestbook --server argocd.example.org \\",
            "      --image ghcr.io/example-org/guestbook",
            "",
            "  # to a version named, without syncing",
            "  gitops rollback --app guestbook --kube --image ghcr.io/example-org/guestbook \\",
            "      --to 1.4.2 --no-sync",
            "",
            "  # a repository and path named by hand",
            "  gitops rollback --repo https://git.example.com/org/config.git \\",
            "      --path apps/guestbook --image ghcr.io/example-org/guestbook --no-sync"
        })
public final class RollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--image", required = true, paramLabel = "IMAGE",
            description = "The image to roll back, e.g. ghcr.io/org/app; matched by normalised name.")
    String image;

    @Option(names = "--to", paramLabel = "VERSION",
            description = "The version to set: TAG, sha256:HEX or TAG@sha256:HEX (default: the version before the"
                    + " image's last change).")
    String to;

    @Option(names = "--repo", paramLabel = "URL", converter = SecretInput.Url.class,
            description = "The config repository, named by hand; without it --app with --server (or --kube) reads the"
                    + " repository, branch and paths from the Argo CD Application.")
    String repoUrl;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "With --repo: the branch (default: the remote's default branch).")
    String branch;

    @Option(names = "--path", paramLabel = "PATH",
            description = "With --repo: a file or directory where the image is set; repeatable (default: all).")
    List<String> paths = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", converter = SetImageCommand.KindConverter.class,
            description = "With --repo: which files set the image, as for set-image (default: auto).")
    TargetKind kind;

    @Option(names = "--no-sync", description = "Push the rollback without syncing the application.")
    boolean noSync;

    @Option(names = "--sync-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait for the sync, e.g. 300s, 5m (default: 5m).")
    Duration syncTimeout;

    @Mixin
    GitOptions git;

    @Mixin
    ArgoCdOptions argo;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        Console console = Console.of(spec, json);
        PushResultPrinter printer = new PushResultPrinter(console);
        GitProgress progress = new StderrProgress(console);
        try {
            Optional<ImageVersion> version = Optional.ofNullable(to).map(text -> {
                try {
                    return ImageVersion.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--to: " + e.getMessage(), e);
                }
            });
            try {
                ImageReference.parse(image);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--image: " + e.getMessage(), e);
            }
            Optional<String> app = git.app();
            if (app.isEmpty() && !noSync) {
                throw new IllegalArgumentException("--app: name the application to sync (with --server or --kube), or"
                        + " give --no-sync");
            }
            if (repoUrl == null && app.isEmpty()) {
                throw new IllegalArgumentException("--repo: give the config repository, or --app NAME with --server or"
                        + " --kube to read it from the Argo CD Application");
            }
            if (repoUrl == null && (branch != null || !paths.isEmpty() || kind != null)) {
                throw new IllegalArgumentException((branch != null ? "--branch" : !paths.isEmpty() ? "--path" : "--kind")
                        + ": the application names its branch, paths and kind; give --repo to name them yourself");
            }
            if (repoUrl != null && noSync && argo.given()) {
                throw new IllegalArgumentException("--no-sync: with --repo the Argo CD options (--server, --kube, ...) are"
                        + " only for the sync; give them without --no-sync, or leave them out");
            }
            boolean needsArgoCd = repoUrl == null || !noSync;
            try (TemporaryDirectory checkouts = TemporaryDirectory.create("rollback"); ArgoCdOptions connection = argo) {
                ApplicationBackend backend = needsArgoCd ? connection.backend() : null;
                List<RollbackResult> results = repoUrl == null
                        ? rollbackApplication(console, backend, connection.ref(app.get()), version, checkouts.path(), progress)
                        : List.of(Rollback.run(where(), version, git.remote(repoUrl),
                                new CloneOptions(Optional.ofNullable(branch).map(name -> GitOptions.branch("--branch", name)),
                                        git.pushBranch(), 0, List.of()),
                                checkouts.path().resolve("1"), git.settings(), app, progress));
                ExitCode exit = exitOf(results);
                ObjectNode node = report(console, results, exit);
                List<String> commits = results.stream().filter(RollbackResult.RolledBack.class::isInstance)
                        .map(r -> ((RollbackResult.RolledBack) r).commit()).toList();
                if (exit == ExitCode.OK && !noSync) {
                    try {
                        exit = sync(console, backend, connection.ref(app.get()), commits.size() == 1 ? commits.get(0) : null, node);
                    } catch (ArgoCdException e) {
                        // pushed but not synced: the error object keeps what was pushed, for a script to go on from
                        node.remove(List.of("outcome", "exitCode"));
                        return console.fail(Failure.of(e), node);
                    }
                    node.put("exitCode", exit.code());
                }
                console.result(node);
                return exit.code();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return printer.failure(new GitOperationException(GitOperationException.Kind.TRANSPORT, "Interrupted."));
        } catch (IOException e) {
            return printer.failure(new GitOperationException(
                    GitOperationException.Kind.TRANSPORT, "Cannot create a temporary directory: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            return printer.failure(e);
        }
    }

    /** Each repository and branch of the application, rolled back on its own. */
    private List<RollbackResult> rollbackApplication(Console console, ApplicationBackend backend, ApplicationRef ref,
                                                     Optional<ImageVersion> version, Path checkouts, GitProgress progress)
            throws InterruptedException {
        Application application = ArgoCdOptions.read(backend, ref);
        List<GitTarget> targets = ApplicationTargets.resolve(application, Rollback.request(image).updates().get(0));
        List<RollbackResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            GitTarget target = targets.get(i);
            console.message("application " + ref.name() + ": " + target.describe() + ", "
                    + target.sources().stream().map(SourceTarget::label).collect(Collectors.joining(", ")));
            CloneOptions options = new CloneOptions(Optional.empty(), git.pushBranch(), 0, List.of());
            results.add(Rollback.run(target, image, version, git.remote(target.repoURL()), options,
                    checkouts.resolve(String.valueOf(i + 1)), git.settings(), progress));
        }
        return results;
    }

    private EditRequest where() {
        EditRequest request = Rollback.request(image);
        try {
            request = request.withPaths(paths.stream().map(p -> p.replace('\\', '/')).toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--path: " + e.getMessage(), e);
        }
        return kind == null ? request : request.withKind(kind);
    }

    /** Rolled back when any repository was, else nothing to roll back to when any had none, else nothing to change. */
    private static ExitCode exitOf(List<RollbackResult> results) {
        if (results.stream().anyMatch(RollbackResult.RolledBack.class::isInstance)) {
            return ExitCode.OK;
        }
        return results.stream().anyMatch(RollbackResult.NothingToRollBackTo.class::isInstance)
                ? ExitCode.NOTHING_TO_ROLL_BACK_TO : ExitCode.NOTHING_TO_CHANGE;
    }

    /** The rollback commits on stdout, what happened on stderr, and the result object. */
    private static ObjectNode report(Console console, List<RollbackResult> results, ExitCode exit) {
        ObjectNode node = Console.object(exit == ExitCode.OK ? "ROLLED_BACK" : exit.name(), exit);
        ArrayNode entries = node.putArray("rollbacks");
        for (RollbackResult result : results) {
            ObjectNode entry = entries.addObject().put("image", result.image());
            if (result instanceof RollbackResult.RolledBack done) {
                console.message("rolled back " + done.image() + " from " + done.from() + " to " + done.to()
                        + done.undone().map(sha -> ", undoing " + sha).orElse("") + "; changed " + String.join(", ", done.files()));
                console.result(done.commit());
                entry.put("outcome", "ROLLED_BACK").put("from", done.from()).put("to", done.to().toString())
                        .put("undone", done.undone().orElse(null)).put("commit", done.commit())
                        .put("branch", done.branch()).put("attempts", done.attempts());
                done.files().forEach(entry.putArray("files")::add);
            } else if (result instanceof RollbackResult.NothingToRollBackTo none) {
                console.message(none.reason());
                entry.put("outcome", "NOTHING_TO_ROLL_BACK_TO").put("current", none.current().toString())
                        .put("message", none.reason());
            } else {
                RollbackResult.AlreadyThere there = (RollbackResult.AlreadyThere) result;
                console.message(there.reason());
                entry.put("outcome", "NOTHING_TO_CHANGE").put("to", there.to().toString())
                        .put("branch", there.branch()).put("message", there.reason());
            }
        }
        if (results.size() == 1) { // one repository: its fields at the top level, as update prints them
            ObjectNode only = (ObjectNode) entries.get(0);
            node.remove("rollbacks");
            node.setAll(only);
            node.put("exitCode", exit.code());
        }
        return node;
    }

    /** Syncs as {@code gitops sync --revision COMMIT} does and adds its outcome to the result. */
    private ExitCode sync(Console console, ApplicationBackend backend, ApplicationRef ref, String revision, ObjectNode node)
            throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, ArgoCdConnection.daemon("gitops-sync"));
        try {
            SyncResult result = new SyncWaiter(backend, scheduler)
                    .await(WaitRequest.of(ref, syncTimeout).withExpectedRevision(revision), console::message);
            console.message(ref.name() + ": " + result.message());
            node.putObject("sync").put("outcome", result.outcome().name()).put("message", result.message())
                    .put("revision", result.revision());
            return switch (result.outcome()) {
                case SYNCED, STARTED -> ExitCode.OK;
                case FAILED -> ExitCode.SYNC_FAILED;
                case TIMED_OUT -> ExitCode.TIMEOUT;
            };
        } finally {
            scheduler.shutdownNow();
        }
    }
}
