package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.GitRemote;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.update.ApplicationTargets;
import io.jenkins.plugins.gitops.core.update.ApplicationUpdate;
import io.jenkins.plugins.gitops.core.update.EditCheckout;
import io.jenkins.plugins.gitops.core.update.GitTarget;
import io.jenkins.plugins.gitops.core.update.SourceTarget;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequest;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestApi;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestFlow;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.registry.RegistryException;
import io.jenkins.plugins.gitops.core.strategy.Resolution;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gitops update}: clone, set-image, commit and push race-safely, in one command. */
@Command(
        name = "update",
        header = "Clone, set-image, commit and push race-safely in one go",
        mixinStandardHelpOptions = true,
        versionProvider = GitopsCommand.Version.class,
        sortOptions = false,
        description = {
            "Clone the config repository (one branch, depth 1, only the --path files on disk), update the image as"
                    + " `gitops set-image` does, commit and push, never forced. When another push lands first, fetch"
                    + " the new tip, apply the same edit again and push again, up to --max-attempts times.",
            "Prints the pushed commit's SHA alone on stdout (nothing when there was nothing to push); progress on stderr.",
            "With --pull-request: pushes to a branch of its own and opens a pull request from it into --branch, or updates"
                    + " the open one of that branch; prints its URL (with --wait-for-merge, the merge commit)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:pushed",
            "1:unexpected failure (network, I/O)",
            "2:bad input (an option, the URL, a YAML file: the message names it)",
            "3:nothing to change: the branch already has the requested values",
            "4:image not found in the given paths",
            "5:the server refused the push (hook, protected branch)",
            "6:authentication failed (git or the pull request API) or the SSH host key is not trusted",
            "8:--wait-for-merge: the pull request was still open when the wait ended",
            "9:other pushes won the race --max-attempts times",
            "10:--wait-for-merge: the pull request was closed without being merged",
            "11:--strategy: no candidate (no tag is eligible)"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  export GITOPS_GIT_PASSWORD=$TOKEN",
            "  SHA=$(gitops update --repo https://git.example.com/org/config.git \\",
            "      --path apps/guestbook --image ghcr.io/example-org/guestbook --tag 1.5.0)",
            "  gitops sync guestbook --revision \"$SHA\"",
            "",
            "  # over SSH, onto a branch of its own",
            "  gitops update --repo git@git.example.com:org/config.git --ssh-key-file key \\",
            "      --push-branch deploy/guestbook --image ghcr.io/example-org/app --tag 1.5.0",
            "",
            "  # through a pull request, which later builds update",
            "  export GITOPS_PR_TOKEN=$TOKEN",
            "  gitops update --repo https://github.com/example-org/config.git --app web \\",
            "      --image ghcr.io/example-org/guestbook --tag 1.5.0 --pull-request"
        })
public final class UpdateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--repo", paramLabel = "URL", converter = SecretInput.Url.class,
            description = "The config repository: https://..., ssh://..., git@host:path or a local path. Without it,"
                    + " --app with --server (or --kube) reads the repository, branch and paths from the Argo CD Application.")
    String repoUrl;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "The branch to clone and update (default: the remote's default branch; with --app and no --repo: the"
                    + " branch the Application follows, its targetRevision, which this replaces).")
    String branch;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "1",
            description = "Commits of history to fetch; 0 for the full history (default: 1).")
    int depth;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Clone into this new directory and keep it (default: a temporary directory, removed afterwards).")
    Path workdir;

    @Mixin
    ImageEditOptions edit;

    @Mixin
    StrategyOptions strategy;

    @Mixin
    GitOptions git;

    @Mixin
    ArgoCdOptions argo;

    @Mixin
    PullRequestOptions pullRequest;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    private TemporaryDirectory temporaryClone;

    @Override
    public Integer call() {
        Console console = Console.of(spec, json);
        PushResultPrinter printer = new PushResultPrinter(console);
        GitProgress progress = new StderrProgress(console);
        try {
            if (strategy.enabled()) {
                Resolution resolution;
                try {
                    resolution = strategy.applyTo(edit);
                } catch (RegistryException e) {
                    return console.fail(StrategyOptions.failure(e));
                }
                console.message(resolution.reason());
                if (resolution instanceof Resolution.NoCandidate) {
                    ObjectNode node = Console.object("NO_CANDIDATE", ExitCode.NO_CANDIDATE);
                    node.set("resolution", StrategyOptions.json(resolution));
                    console.result(node);
                    return ExitCode.NO_CANDIDATE.code();
                }
            }
            if (depth < 0) {
                throw new IllegalArgumentException("--depth: " + depth + " is negative (0 is the full history)");
            }
            if (repoUrl == null) {
                return updateApplication(console, printer, progress);
            }
            if (argo.given()) {
                throw new IllegalArgumentException("--repo: names the repository by hand; the Argo CD options (--server,"
                        + " --kube, ...) are for --app without --repo. Give one or the other");
            }
            EditRequest request = edit.request();
            UpdateLoop loop = new UpdateLoop(git.settings(), progress);
            Optional<String> base = Optional.ofNullable(branch).map(name -> GitOptions.branch("--branch", name));
            Optional<String> pushBranch = git.pushBranch();
            List<JournalledEdits.Entry> entries = List.of(new JournalledEdits.Entry("", request, List.of()));
            PullRequestApi api = null;
            if (pullRequest.enabled) {
                api = pullRequest.connect(repoUrl, git.remote(repoUrl).timeout());
                String target = base.orElseGet(() -> JGitConfigRepository.defaultBranch(git.remote(repoUrl), progress));
                base = Optional.of(target);
                pushBranch = Optional.of(pullRequest.headBranch(pushBranch, JournalledEdits.messageValues(entries, git.app()), target));
            }
            CloneOptions options = EditCheckout.narrowed(new CloneOptions(base, pushBranch, depth, edit.checkoutPaths()), List.of(request));
            if (workdir != null) {
                requireNewOrEmpty(workdir);
            }
            Path checkout = workdir != null ? workdir : temporaryClone();
            try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(checkout, git.remote(repoUrl), options, progress)) {
                if (api != null) {
                    PullRequestFlow.Outcome outcome = new PullRequestFlow(api, pullRequest.settings(git.settings().buildUrl()), progress)
                            .publish(repository, loop, Optional.of(JournalledEdits.replay(entries, git.app())), Optional.empty());
                    Optional<PullRequest> merged = outcome instanceof PullRequestFlow.Outcome.Opened opened
                            ? pullRequest.awaitMerge(api, opened.pullRequest(), progress) : Optional.empty();
                    return printer.pullRequest(outcome, merged);
                }
                UpdateResult result = loop.run(repository, JournalledEdits.replay(entries, git.app()));
                return printer.result(result);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return printer.failure(new GitOperationException(GitOperationException.Kind.TRANSPORT, "Interrupted while waiting for the merge."));
        } catch (IOException e) {
            return printer.failure(new GitOperationException(
                    GitOperationException.Kind.TRANSPORT, "Cannot create a temporary directory: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            return printer.failure(e);
        } finally {
            if (temporaryClone != null) {
                temporaryClone.close();
            }
        }
    }

    /**
     * {@code --app} without {@code --repo}: the Application says where its image lives; each repository and branch
     * it names is cloned into a directory of its own, edited, committed and pushed once (or proposed in a pull
     * request into the branch the Application follows). {@code --path} narrows the edit to those of the
     * Application's files; {@code --branch} edits that branch instead of the Application's {@code targetRevision}.
     */
    private int updateApplication(Console console, PushResultPrinter printer, GitProgress progress)
            throws IOException, InterruptedException {
        String app = git.app().orElseThrow(() -> new IllegalArgumentException("--repo: give the config repository, or"
                + " --app NAME with --server or --kube to read it from the Argo CD Application"));
        EditRequest base = edit.requestForApp(app, true);
        Optional<String> branchGiven = Optional.ofNullable(branch).map(name -> GitOptions.branch("--branch", name));
        UpdateLoop loop = new UpdateLoop(git.settings(), progress);
        List<GitTarget> targets;
        try (ArgoCdOptions connection = argo) {
            Application application = ArgoCdOptions.read(connection.backend(), connection.ref(app));
            targets = ApplicationTargets.resolve(application, base.updates().get(0), branchGiven);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the application", e);
        }
        if (targets.size() > 1 && (pullRequest.enabled || !base.paths().isEmpty())) {
            throw new IllegalArgumentException((pullRequest.enabled ? "--pull-request" : "--path") + ": application " + app
                    + " takes its files from " + targets.size() + " repositories or branches ("
                    + targets.stream().map(GitTarget::describe).collect(Collectors.joining("; "))
                    + "); give --repo, --branch and --path to edit one of them");
        }
        List<UpdateResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            GitTarget target = targets.get(i);
            console.message("application " + app + ": " + target.describe() + ", "
                    + target.sources().stream().map(SourceTarget::label).collect(Collectors.joining(", ")));
            Path checkout = workdir != null ? workdir : temporaryClone();
            if (targets.size() > 1) {
                checkout = checkout.resolve(String.valueOf(i + 1));
            }
            if (workdir != null) {
                requireNewOrEmpty(checkout);
            }
            GitRemote remote = git.remote(target.repoURL());
            if (pullRequest.enabled) {
                PullRequestApi api = pullRequest.connect(target.repoURL(), remote.timeout());
                String into = target.branch().orElseGet(() -> JGitConfigRepository.defaultBranch(remote, progress));
                List<JournalledEdits.Entry> entries = List.of(new JournalledEdits.Entry("", base, List.of()));
                CloneOptions options = new CloneOptions(Optional.empty(),
                        Optional.of(pullRequest.headBranch(git.pushBranch(), JournalledEdits.messageValues(entries, git.app()), into)),
                        depth, List.of());
                PullRequestFlow flow = new PullRequestFlow(api, pullRequest.settings(git.settings().buildUrl()), progress);
                PullRequestFlow.Outcome outcome = ApplicationUpdate.publish(target, base, remote, options, checkout, progress,
                        (repository, change) -> flow.publish(repository, loop, Optional.of(change), Optional.empty()));
                Optional<PullRequest> merged = outcome instanceof PullRequestFlow.Outcome.Opened opened
                        ? pullRequest.awaitMerge(api, opened.pullRequest(), progress) : Optional.empty();
                return printer.pullRequest(outcome, merged);
            }
            CloneOptions options = new CloneOptions(Optional.empty(), git.pushBranch(), depth, List.of());
            results.add(ApplicationUpdate.run(target, base, remote, options, checkout, loop, progress));
        }
        return printer.results(results);
    }

    /** A temporary directory for the clone, deleted at the end of the run or by a shutdown hook on SIGTERM. */
    private Path temporaryClone() throws IOException {
        if (temporaryClone == null) {
            temporaryClone = TemporaryDirectory.create("update");
        }
        return temporaryClone.path();
    }

    private static void requireNewOrEmpty(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--workdir: '" + directory + "' exists and is not a directory");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("--workdir: '" + directory + "' is not empty; give a new or empty directory");
            }
        }
    }
}
