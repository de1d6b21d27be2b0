package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.image.InvalidImageReferenceException;
import io.jenkins.plugins.gitops.core.registry.RegistryException;
import io.jenkins.plugins.gitops.core.strategy.Resolution;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gitops resolve}: the version an update strategy chooses from the image's registry, alone on stdout. */
@Command(
        name = "resolve",
        header = "Print the version of an image an update strategy chooses from its registry",
        mixinStandardHelpOptions = true,
        versionProvider = GitopsCommand.Version.class,
        sortOptions = false,
        description = {
            "Read the image's registry and print the reference the strategy chooses (IMAGE:TAG, with @DIGEST when"
                    + " pinned or following a tag by digest) alone on stdout; --json lists every tag considered.",
            "A tag or digest in IMAGE is the current version: when it already is the choice, nothing is printed and"
                    + " the exit code is 11."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:a version was chosen",
            "1:the registry could not be read (unreachable, 404, TLS, 5xx after retries)",
            "2:bad input: an option or the image reference (the message names it)",
            "6:the registry refused the credentials, or they lack pull access",
            "11:no candidate: no tag is eligible, or the current version already is the choice"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  # the newest 1.x release",
            "  gitops resolve ghcr.io/example-org/guestbook --strategy semver --constraint '^1'",
            "",
            "  # follow latest by digest",
            "  gitops resolve ghcr.io/example-org/guestbook:latest --strategy digest"
        })
public final class ResolveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image, e.g. ghcr.io/org/app or ghcr.io/org/app:1.4.0.")
    String image;

    @Option(names = "--tag", paramLabel = "TAG", description = "digest: the tag to follow (default: the tag in IMAGE).")
    String tag;

    @Mixin
    StrategyOptions strategy;

    @Option(names = "--json", description = "Print the result as JSON on stdout (outcome, reference, reason, candidates).")
    boolean json;

    @Override
    public Integer call() {
        Console console = Console.of(spec, json);
        try {
            ImageReference reference;
            try {
                reference = ImageReference.parse(image);
            } catch (InvalidImageReferenceException e) {
                throw new IllegalArgumentException("IMAGE: " + e.getMessage(), e);
            }
            if (strategy.strategy == null) {
                strategy.strategy = "semver"; // the default strategy, as in Image Updater
            }
            strategy.enabled();
            Resolution resolution = strategy.resolve(reference, tag);
            ExitCode exit = resolution instanceof Resolution.Chosen ? ExitCode.OK : ExitCode.NO_CANDIDATE;
            ObjectNode node = Console.object(exit == ExitCode.OK ? "CHOSEN" : "NO_CANDIDATE", exit);
            node.setAll(StrategyOptions.json(resolution));
            console.result(node);
            if (resolution instanceof Resolution.Chosen chosen) {
                console.result(chosen.reference().toString());
            }
            console.message(resolution.reason());
            return exit.code();
        } catch (IllegalArgumentException e) {
            return console.fail(Failure.badArgument(e.getMessage()));
        } catch (RegistryException e) {
            return console.fail(StrategyOptions.failure(e));
        }
    }
}
