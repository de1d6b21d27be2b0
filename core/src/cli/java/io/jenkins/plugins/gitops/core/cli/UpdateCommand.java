package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequest;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestApi;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestFlow;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
            "10:--wait-for-merge: the pull request was closed without being merged"
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

    @Option(names = "--repo", required = true, paramLabel = "URL", converter = SecretInput.Url.class,
            description = "The config repository: https://..., ssh://..., git@host:path or a local path.")
    String repoUrl;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "The branch to clone and update (default: the remote's default branch).")
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
    GitOptions git;

    @Mixin
    PullRequestOptions pullRequest;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        Console console = Console.of(spec, json);
        PushResultPrinter printer = new PushResultPrinter(console);
        GitProgress progress = new StderrProgress(console);
        Path temporary = null;
        Thread cleanupOnSignal = null;
        try {
            EditRequest request = edit.request();
            UpdateLoop loop = new UpdateLoop(git.settings(), progress);
            if (depth < 0) {
                throw new IllegalArgumentException("--depth: " + depth + " is negative (0 is the full history)");
            }
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
            CloneOptions options = new CloneOptions(base, pushBranch, depth, edit.checkoutPaths());
            if (workdir != null) {
                requireNewOrEmpty(workdir);
            } else {
                temporary = Files.createTempDirectory("gitops-update-");
                // SIGTERM (a cancelled CI job) runs shutdown hooks: the clone goes with the process
                Path clone = temporary;
                cleanupOnSignal = new Thread(() -> delete(clone), "gitops-update-cleanup");
                Runtime.getRuntime().addShutdownHook(cleanupOnSignal);
            }
            Path checkout = workdir != null ? workdir : temporary;
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
            if (temporary != null) {
                delete(temporary);
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanupOnSignal);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook deletes the clone
                }
            }
        }
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

    /**
     * Deletes the temporary clone. On a signal the command's own thread may still be writing into it while this runs,
     * so a pass that meets a file appearing or vanishing is followed by another.
     */
    private static void delete(Path root) {
        for (int pass = 0; pass < 3 && Files.exists(root, LinkOption.NOFOLLOW_LINKS); pass++) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // the next pass sees the tree as it is now
            }
        }
    }
}
