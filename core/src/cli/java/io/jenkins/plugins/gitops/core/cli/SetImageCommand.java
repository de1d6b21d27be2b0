package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.update.ApplicationOverride;
import io.jenkins.plugins.gitops.core.update.ApplicationTargets;
import io.jenkins.plugins.gitops.core.update.GitTarget;
import io.jenkins.plugins.gitops.core.update.SourceTarget;
import io.jenkins.plugins.gitops.core.update.TargetRefusedException;
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
import java.util.Optional;
import java.util.stream.Collectors;
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
            "6:Argo CD (--app) or the registry (--strategy) refused the credentials",
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
            "  # the files of an Argo CD application, in a checkout of its repository",
            "  gitops set-image --app guestbook --server argocd.example.org --token-file t \\",
            "      --image ghcr.io/example-org/guestbook --tag 1.5.0",
            "",
            "  # override the image on the Application itself, no commit",
            "  gitops set-image --app guestbook --kube --write-back argocd \\",
            "      --image ghcr.io/example-org/guestbook --tag 1.5.0",
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

    @Option(names = "--app", paramLabel = "NAME",
            description = "The Argo CD application whose files to edit, read with --server or --kube: its path and kind"
                    + " of source in DIR (a checkout of its repository), instead of --path.")
    String app;

    @Option(names = "--write-back", paramLabel = "git|argocd", defaultValue = "git",
            description = "git (default): edit files; argocd: override the image on the Application itself (--app;"
                    + " kustomize images, or Helm parameters with --kind helm-values or --helm-key). A sync from git"
                    + " does not undo it; removing the override does.")
    String writeBack;

    @Mixin
    ArgoCdOptions argo;

    @Override
    public Integer call() {
        Console console = Console.of(spec, json);
        try {
            boolean argocd = switch (writeBack) {
                case "git" -> false;
                case "argocd" -> true;
                default -> throw new IllegalArgumentException("--write-back: '" + writeBack + "' is neither git nor argocd");
            };
            if (app == null && (argocd || argo.given())) {
                throw new IllegalArgumentException((argocd ? "--write-back" : "--server") + ": needs --app NAME, the"
                        + " application to read");
            }
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
            if (argocd) {
                return override(console);
            }
            Path root = repositoryRoot();
            EditReport report;
            if (app != null) {
                report = EditReport.combined(applicationRequests(console, root).stream().map(this::edit).toList());
            } else {
                report = edit(edit.request(root));
            }
            return print(console, report);
        } catch (TargetRefusedException | ArgoCdException e) {
            return console.fail(Failure.of(e), appField());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return console.fail(new Failure(ExitCode.FAILURE, "interrupted", "interrupted while reading the application"));
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

    /** Not a dry run: the edit is journalled for `gitops push` in the same change set (see docs/git-push.md). */
    private EditReport edit(EditRequest request) {
        return dryRun ? new ManifestEditor(directory.toAbsolutePath().normalize()).plan(request)
                : JournalledEdits.applyAndRecord(directory.toAbsolutePath().normalize(), request);
    }

    /**
     * The application's requests for the checkout: the target whose repository is the checkout's {@code origin}, or
     * the only one when the checkout has no {@code origin}.
     */
    private List<EditRequest> applicationRequests(Console console, Path root) throws InterruptedException {
        EditRequest base = edit.requestForApp(app);
        List<GitTarget> targets;
        try (ArgoCdOptions connection = argo) {
            Application application = ArgoCdOptions.read(connection.backend(), connection.ref(app));
            targets = ApplicationTargets.resolve(application, base.updates().get(0));
        }
        Optional<String> origin = originOf(root);
        List<GitTarget> here = targets.stream()
                .filter(target -> origin.map(url -> GitTarget.sameRepository(url, target.repoURL())).orElse(targets.size() == 1))
                .toList();
        if (here.isEmpty()) {
            throw new IllegalArgumentException("DIR: '" + directory + "' is not a checkout of "
                    + targets.stream().map(GitTarget::describe).collect(Collectors.joining(" or "))
                    + ", where application " + app + " keeps its files");
        }
        List<EditRequest> requests = new ArrayList<>();
        for (GitTarget target : here) {
            console.message("application " + app + ": " + target.sources().stream().map(SourceTarget::label)
                    .collect(Collectors.joining(", ")));
            requests.addAll(target.requests(root, base));
        }
        if (requests.isEmpty()) {
            return List.of(base.withPaths(here.get(0).checkoutPaths())); // reported as not found, naming the paths
        }
        return requests;
    }

    /** The checkout's {@code origin}; empty outside a checkout or without one. */
    private static Optional<String> originOf(Path root) {
        try {
            return JGitConfigRepository.originUrl(root);
        } catch (GitOperationException notACheckout) {
            return Optional.empty();
        }
    }

    /** {@code --write-back argocd}: the image overridden on the Application, through the plugin's code path. */
    private int override(Console console) throws InterruptedException {
        if (dryRun) {
            throw new IllegalArgumentException("--dry-run: not with --write-back argocd, which writes no file");
        }
        ApplicationOverride override = ApplicationOverride.of(edit.requestForApp(app));
        boolean changed;
        try (ArgoCdOptions connection = argo) {
            ApplicationBackend backend = connection.backend();
            console.message("overriding " + override.value() + " on application " + connection.ref(app) + " at "
                    + backend.describe());
            changed = ArgoCdOptions.await(override.applyTo(backend, connection.ref(app)), connection.ref(app));
        }
        ExitCode exit = changed ? ExitCode.OK : ExitCode.NOTHING_TO_CHANGE;
        ObjectNode node = Console.object(changed ? "CHANGED" : "NOTHING_TO_CHANGE", exit);
        node.put("app", app).put("field", override.field()).put("value", override.value());
        console.result(node);
        if (changed) {
            console.result(app + "  " + override.field() + "  " + override.value());
        }
        console.message(changed ? "overrode " + override.field() + " of " + app
                : "nothing to change: application " + app + " already has " + override.value());
        return exit.code();
    }

    private ObjectNode appField() {
        return app == null ? null : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("app", app);
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
