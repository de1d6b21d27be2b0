package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.git.EditJournal;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
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
            "Prints the pushed commit's SHA alone on stdout (nothing when there was nothing to push); progress on stderr."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:pushed",
            "1:unexpected failure (network, I/O)",
            "2:bad input (options, not a checkout, unreadable journal)",
            "3:nothing to change: the branch already has the requested values",
            "4:a journalled image is no longer referenced on the new tip",
            "5:the server refused the push (hook, protected branch)",
            "6:authentication failed or the SSH host key is not trusted",
            "9:other pushes won the race --max-attempts times"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  git clone --depth 1 https://git.example.com/org/config.git && cd config",
            "  gitops set-image apps/guestbook --image ghcr.io/example-org/guestbook --tag 2",
            "  SHA=$(gitops push --username ci-bot --password-file token.txt)",
            "",
            "  # push to a branch of its own, e.g. for a pull request",
            "  GITOPS_GIT_PASSWORD=$TOKEN gitops push --push-branch deploy/guestbook-1.5.0"
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
            try (JGitConfigRepository repository = JGitConfigRepository.open(checkout, git.remote(url), git.pushBranch(), progress)) {
                List<String> changed = repository.changedFiles();
                UpdateResult result;
                if (entries.isEmpty()) {
                    if (!changed.isEmpty()) {
                        progress.warn("No set-image journal in this checkout: pushing the changed files as they are;"
                                + " if another push lands first, this push cannot be retried.");
                    }
                    result = loop.runApplied(repository, JournalledEdits.alreadyApplied(changed, entries, git.app()), Optional.empty());
                } else {
                    List<String> journalled = JournalledEdits.files(entries);
                    requireNoOtherChanges(changed, journalled);
                    // Journalled files git reports as changed, and those the edits created (git does not list them).
                    List<String> toCommit = journalled.stream().filter(file -> changed.contains(file)
                            || Files.exists(repository.workTree().resolve(file))).toList();
                    result = loop.runApplied(repository, JournalledEdits.alreadyApplied(toCommit, entries, git.app()),
                            Optional.of(JournalledEdits.replay(entries, git.app())));
                }
                journal.clear();
                return printer.result(result);
            }
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
