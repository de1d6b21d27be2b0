package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.git.EditJournal;
import io.jenkins.plugins.gitops.core.git.EditOutcome;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.git.WorkTreeEdit;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequest;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestApi;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestFlow;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gitops push}: commits what {@code gitops set-image} changed in a checkout and pushes it race-safely. */
@Command(
        name = "push",
        header = "Commit what set-image changed and push it race-safely",
        mixinStandardHelpOptions = true,
        versionProvider = GitopsCommand.Version.class,
        sortOptions = false,
        description = {
            "Commit the changes that `gitops set-image` made in a checkout and push them, never forced. When another"
                    + " push lands first, fetch the new tip, re-apply the same set-image edits (journalled in the"
                    + " checkout's .git directory), and push again, up to --max-attempts times.",
            "Prints the pushed commit's SHA alone on stdout (nothing when there was nothing to push); progress on stderr.",
            "With --pull-request: pushes to a branch of its own and opens a pull request from it into the checked-out"
                    + " branch, or updates the open one of that branch; prints its URL (with --wait-for-merge, the merge commit)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:pushed",
            "1:unexpected failure (network, I/O)",
            "2:bad input (options, not a checkout, unreadable journal)",
            "3:nothing to change: the branch already has the requested values",
            "4:a journalled image is no longer referenced on the new tip",
            "5:the server refused the push (hook, protected branch)",
            "6:authentication failed (git or the pull request API) or the SSH host key is not trusted",
            "8:--wait-for-merge: the pull request was still open when the wait ended",
            "9:other pushes won the race --max-attempts times",
            "10:--wait-for-merge: the pull request was closed without being merged"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  git clone --depth 1 https://git.example.com/org/config.git && cd config",
            "  gitops set-image apps/guestbook --image ghcr.io/example-org/guestbook --tag 2",
            "  SHA=$(gitops push --username ci-bot --password-file token.txt)",
            "",
            "  # push to a branch of its own, e.g. for a pull request",
            "  GITOPS_GIT_PASSWORD=$TOKEN gitops push --push-branch deploy/guestbook-1.5.0",
            "",
            "  # through a pull request, waiting for its merge; prints the merge commit",
            "  export GITOPS_PR_TOKEN=$TOKEN",
            "  gitops push --pull-request --app guestbook --wait-for-merge 30m"
        })
public final class PushCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "The checkout (default: the current directory).")
    Path directory;

    @Option(names = "--repo", paramLabel = "URL", converter = SecretInput.Url.class, description = "Push to this URL (default: the checkout's origin).")
    String repoUrl;

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
        try {
            Path checkout = directory.toAbsolutePath().normalize();
            if (!Files.isDirectory(checkout)) {
                throw new IllegalArgumentException("DIR: '" + directory + "' is not a directory");
            }
            EditJournal journal = EditJournal.forCheckout(checkout).orElseThrow(() -> new GitOperationException(
                    GitOperationException.Kind.BAD_INPUT, "DIR: " + checkout + " is not inside a git checkout."));
            String url = repoUrl != null ? repoUrl : JGitConfigRepository.originUrl(checkout).orElseThrow(() ->
                    new GitOperationException(GitOperationException.Kind.BAD_INPUT,
                            "--repo: " + checkout + " has no 'origin' remote; pass --repo URL."));
            UpdateLoop loop = new UpdateLoop(git.settings(), progress);
            List<JournalledEdits.Entry> entries = JournalledEdits.pending(journal);
            Optional<String> pushBranch = git.pushBranch();
            PullRequestApi api = null;
            if (pullRequest.enabled) {
                api = pullRequest.connect(url, git.remote(url).timeout());
                String base;
                try (JGitConfigRepository checkedOut = JGitConfigRepository.open(checkout, git.remote(url), Optional.empty(), progress)) {
                    base = checkedOut.baseBranch();
                }
                pushBranch = Optional.of(pullRequest.headBranch(pushBranch, JournalledEdits.messageValues(entries, git.app()), base));
            }
            try (JGitConfigRepository repository = JGitConfigRepository.open(checkout, git.remote(url), pushBranch, progress)) {
                List<String> changed = repository.changedFiles();
                EditOutcome applied;
                Optional<WorkTreeEdit> replay;
                if (entries.isEmpty()) {
                    if (!changed.isEmpty()) {
                        progress.warn("No set-image journal in this checkout: pushing the changed files as they are;"
                                + " if another push lands first, this push cannot be retried.");
                    }
                    applied = JournalledEdits.alreadyApplied(changed, entries, git.app());
                    replay = Optional.empty();
                } else {
                    List<String> journalled = JournalledEdits.files(entries);
                    requireNoOtherChanges(changed, journalled);
                    // Journalled files git reports as changed, and those the edits created (git does not list them).
                    List<String> toCommit = journalled.stream().filter(file -> changed.contains(file)
                            || Files.exists(repository.workTree().resolve(file))).toList();
                    applied = JournalledEdits.alreadyApplied(toCommit, entries, git.app());
                    replay = Optional.of(JournalledEdits.replay(entries, git.app()));
                }
                if (api != null) {
                    PullRequestFlow.Outcome outcome = new PullRequestFlow(api, pullRequest.settings(git.settings().buildUrl()), progress)
                            .publish(repository, loop, replay, Optional.of(applied));
                    journal.clear();
                    Optional<PullRequest> merged = outcome instanceof PullRequestFlow.Outcome.Opened opened
                            ? pullRequest.awaitMerge(api, opened.pullRequest(), progress) : Optional.empty();
                    return printer.pullRequest(outcome, merged);
                }
                UpdateResult result = loop.runApplied(repository, applied, replay);
                journal.clear();
                return printer.result(result);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return printer.failure(new GitOperationException(GitOperationException.Kind.TRANSPORT, "Interrupted while waiting for the merge."));
        } catch (RuntimeException e) {
            return printer.failure(e);
        }
    }

    /** A lost race resets the checkout: refuse to start when that would throw away someone's other changes. */
    private static void requireNoOtherChanges(List<String> changed, List<String> journalled) {
        List<String> others = changed.stream().filter(file -> !journalled.contains(file)).toList();
        if (!others.isEmpty()) {
            throw new GitOperationException(GitOperationException.Kind.BAD_INPUT,
                    "The checkout has changes that set-image did not make: " + String.join(", ", others)
                            + ". Commit or stash them first: a push that loses a race resets the checkout to the new tip.");
        }
    }
}
