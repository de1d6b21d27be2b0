package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.io.IOException;
import java.nio.file.Files;
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
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Clone the config repository (one branch, depth 1, only the --path files on disk), update the image as"
                    + " `gitops set-image` does, commit and push, never forced. When another push lands first, fetch"
                    + " the new tip, apply the same edit again and push again, up to --max-attempts times.",
            "Prints the pushed commit on stdout; progress on stderr."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:pushed",
            "1:unexpected failure (network, I/O)",
            "2:bad input (an option, the URL, a YAML file: the message names it)",
            "3:nothing to change: the branch already has the requested values",
            "4:image not found in the given paths",
            "5:the server refused the push (hook, protected branch)",
            "6:authentication failed or the SSH host key is not trusted",
            "9:other pushes won the race --max-attempts times"
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

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        PushResultPrinter printer = new PushResultPrinter(spec, json);
        GitProgress progress = new StderrProgress(spec.commandLine().getErr());
        Path checkout = null;
        try {
            EditRequest request = edit.request();
            UpdateLoop loop = new UpdateLoop(git.settings(), progress);
            CloneOptions options = new CloneOptions(Optional.ofNullable(branch), git.pushBranch(), depth, edit.checkoutPaths());
            checkout = workdir != null ? workdir : Files.createTempDirectory("gitops-update-");
            try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(checkout, git.remote(repoUrl), options, progress)) {
                UpdateResult result = loop.run(repository,
                        JournalledEdits.replay(List.of(new JournalledEdits.Entry("", request, List.of())), git.app()));
                return printer.result(result);
            }
        } catch (IOException e) {
            return printer.failure(new GitOperationException(
                    GitOperationException.Kind.TRANSPORT, "Cannot create a temporary directory: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            return printer.failure(e);
        } finally {
            if (workdir == null && checkout != null) {
                deleteQuietly(checkout);
            }
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
