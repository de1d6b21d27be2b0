package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.manifest.Change;
import io.jenkins.plugins.gitops.core.manifest.EditReport;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditException;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditor;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import io.jenkins.plugins.gitops.core.registry.RegistryException;
import io.jenkins.plugins.gitops.core.strategy.Resolution;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gitops set-image}: updates every reference to one image in a config repository checkout. */
@Command(
        name = "set-image",
        header = "Update an image's tag, digest or name everywhere in a checkout",
        mixinStandardHelpOptions = true,
        versionProvider = GitopsCommand.Version.class,
        sortOptions = false,
        description = {
            "Update every reference to an image (kustomizations, workloads, Helm values, Argo CD Applications,"
                    + " .argocd-source files) to a new tag, digest and/or name, changing nothing else in the files.",
            "Prints one line per change (file:line  kind  old -> new); messages go to stderr."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:files changed (with --dry-run: would change)",
            "1:unexpected failure (I/O error, a bug)",
            "2:bad input: an option, image reference, path or YAML file (the message names it)",
            "3:nothing to change: every reference already has the requested value",
            "4:image not found in the given paths",
            "6:--strategy: the registry refused the credentials, or they lack pull access",
            "11:--strategy: no candidate (no tag is eligible)"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  # every reference in the current checkout",
            "  gitops set-image --image ghcr.io/example-org/guestbook --tag 1.5.0",
            "",
            "  # only the staging overlay; show the diff, write nothing",
            "  gitops set-image --path apps/guestbook/overlays/staging \\",
            "      --image ghcr.io/example-org/guestbook --tag 1.5.0 --dry-run",
            "",
            "  # the newest 1.x release (1.4 or later) in the registry",
            "  gitops set-image --image ghcr.io/example-org/guestbook \\",
            "      --strategy semver --constraint '^1.4'",
            "",
            "  # a custom resource the kinds do not know",
            "  gitops set-image --path apps/jobs/runner.yaml --key spec.runner.image \\",
            "      --image ghcr.io/example-org/runner --tag 2.1.0"
        })
public final class SetImageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "The config repository checkout (default: the current directory).")
    Path directory;

    @Mixin
    ImageEditOptions edit;

    @Mixin
    StrategyOptions strategy;

    /** What the strategy chose, when one was asked for. */
    private Resolution resolution;

    @Option(names = "--dry-run", description = "Print the unified diff instead of writing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as JSON on stdout (outcome, per-image results, changes).")
    boolean json;

    @Override
    public Integer call() {
        Console console = Console.of(spec, json);
        try {
            Path root = repositoryRoot();
            if (strategy.enabled()) {
                resolution = strategy.applyTo(edit);
                console.message(resolution.reason());
                if (resolution instanceof Resolution.NoCandidate) {
                    ObjectNode node = Console.object("NO_CANDIDATE", ExitCode.NO_CANDIDATE);
                    node.set("resolution", StrategyOptions.json(resolution));
                    console.result(node);
                    return ExitCode.NO_CANDIDATE.code();
                }
            }
            EditRequest request = edit.request(root);
            // Not a dry run: the edit is journalled for `gitops push` in the same change set (see docs/git-push.md).
            EditReport report = dryRun ? new ManifestEditor(root).plan(request) : JournalledEdits.applyAndRecord(root, request);
            return print(console, report);
        } catch (IllegalArgumentException e) {
            return console.fail(Failure.badArgument(e.getMessage()));
        } catch (ManifestEditException e) {
            return console.fail(Failure.of(e));
        } catch (RegistryException e) {
            return console.fail(StrategyOptions.failure(e));
        } catch (GitOperationException e) {
            // The edit journal is corrupt (bad input; the message says how to recover) or unreadable. Nothing was written.
            boolean corrupt = e.kind() == GitOperationException.Kind.BAD_INPUT;
            return console.fail(new Failure(corrupt ? ExitCode.BAD_INPUT : ExitCode.FAILURE, corrupt ? "edit-journal" : "io-error", e.getMessage()));
        }
    }

    private Path repositoryRoot() {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("DIR: '" + directory + "' is not a directory");
        }
        return directory.toAbsolutePath().normalize();
    }

    private int print(Console console, EditReport report) {
        ExitCode exit = switch (report.outcome()) {
            case CHANGED -> ExitCode.OK;
            case UNCHANGED -> ExitCode.NOTHING_TO_CHANGE;
            case NOT_FOUND -> ExitCode.IMAGE_NOT_FOUND;
        };
        if (console.json()) {
            ObjectNode node = Console.object(outcomeName(report.outcome()), exit);
            ObjectNode fields = Json.MAPPER.valueToTree(report);
            fields.remove("outcome");
            fields.withArray("images").forEach(image ->
                    ((ObjectNode) image).put("outcome", outcomeName(EditReport.Outcome.valueOf(image.get("outcome").asText()))));
            node.setAll(fields);
            node.put("dryRun", dryRun);
            if (resolution != null) {
                node.set("resolution", StrategyOptions.json(resolution));
            }
            if (dryRun) {
                node.put("diff", report.unifiedDiff());
            }
            console.result(node);
        } else if (dryRun) {
            // stdout carries only the diff, so that it can be piped to `git apply`
            for (Change change : report.changes()) {
                console.message(changeLine(change));
            }
            console.diff(report.unifiedDiff());
        } else {
            for (Change change : report.changes()) {
                console.result(changeLine(change));
            }
        }
        console.message(summary(report));
        return exit.code();
    }

    /** The outcome as every command names it: {@code NOTHING_TO_CHANGE} for the engine's {@code UNCHANGED}. */
    private static String outcomeName(EditReport.Outcome outcome) {
        return switch (outcome) {
            case CHANGED -> "CHANGED";
            case UNCHANGED -> "NOTHING_TO_CHANGE";
            case NOT_FOUND -> "IMAGE_NOT_FOUND";
        };
    }

    static String changeLine(Change change) {
        return change.file() + ":" + change.line() + "  " + KindConverter.nameOf(change.kind()) + "  "
                + (change.oldValue() == null ? "(added)" : change.oldValue()) + " -> "
                + (change.newValue() == null ? "(removed)" : change.newValue());
    }

    private String summary(EditReport report) {
        return switch (report.outcome()) {
            case CHANGED -> (dryRun ? "would change " : "changed ") + report.changes().size() + " value(s) in "
                    + report.files().size() + " file(s)" + (dryRun ? " (dry run: nothing written)" : "");
            case UNCHANGED -> "nothing to change: every reference to " + edit.image + " already has the requested value";
            case NOT_FOUND -> "image not found: no reference to " + edit.image + " in "
                    + (!edit.paths.isEmpty() ? String.join(", ", edit.paths)
                            : directory.toString().equals(".") ? "the current directory" : directory.toString());
        };
    }

    /** Jackson's object mapper costs ~100 ms of class loading: only --json pays for it, on first use. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** {@code --kind} values in command-line spelling: {@code helm-values} for {@link TargetKind#HELM_VALUES}. */
    static final class KindConverter implements ITypeConverter<TargetKind> {
        @Override
        public TargetKind convert(String value) {
            for (TargetKind k : TargetKind.values()) {
                if (nameOf(k).equalsIgnoreCase(value) || k.name().equalsIgnoreCase(value)) {
                    return k;
                }
            }
            List<String> names = new ArrayList<>();
            for (TargetKind k : TargetKind.values()) {
                names.add(nameOf(k));
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a kind; use one of " + String.join(", ", names));
        }

        static String nameOf(TargetKind kind) {
            return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
