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
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.io.PrintWriter;
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
        mixinStandardHelpOptions = true,
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
            "4:image not found in the given paths"
        })
public final class SetImageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "The config repository checkout (default: the current directory).")
    Path directory;

    @Mixin
    ImageEditOptions edit;

    @Option(names = "--dry-run", description = "Print the unified diff instead of writing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as JSON on stdout (outcome, per-image results, changes).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Path root = repositoryRoot();
            EditRequest request;
            try {
                request = edit.request(root);
            } catch (IllegalArgumentException e) {
                throw new BadArgumentException(e.getMessage());
            }
            // Not a dry run: the edit is journalled for `gitops push` in the same change set (see docs/git-push.md).
            EditReport report = dryRun ? new ManifestEditor(root).plan(request) : JournalledEdits.applyAndRecord(root, request);
            ExitCode exit = exitCodeOf(report);
            print(report, exit);
            return exit.code();
        } catch (BadArgumentException e) {
            return fail(err, ExitCode.BAD_INPUT, "bad-argument", null, 0, e.getMessage());
        } catch (ManifestEditException e) {
            ExitCode exit = switch (e.problem()) {
                case VERIFICATION_FAILED, IO_ERROR -> ExitCode.FAILURE;
                default -> ExitCode.BAD_INPUT;
            };
            return fail(err, exit, e.problem().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.file(), e.line(), e.getMessage());
        } catch (GitOperationException e) {
            // The edit journal: corrupt (bad input, with how to recover) or unreadable. Nothing was written.
            boolean badInput = e.kind() == GitOperationException.Kind.BAD_INPUT;
            return fail(err, badInput ? ExitCode.BAD_INPUT : ExitCode.FAILURE, badInput ? "edit-journal" : "io-error", null, 0, e.getMessage());
        }
    }

    private Path repositoryRoot() {
        if (!Files.isDirectory(directory)) {
            throw new BadArgumentException("DIR '" + directory + "' is not a directory");
        }
        return directory.toAbsolutePath().normalize();
    }

    private static ExitCode exitCodeOf(EditReport report) {
        return switch (report.outcome()) {
            case CHANGED -> ExitCode.OK;
            case UNCHANGED -> ExitCode.NOTHING_TO_CHANGE;
            case NOT_FOUND -> ExitCode.IMAGE_NOT_FOUND;
        };
    }

    private void print(EditReport report, ExitCode exit) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            ObjectNode node = Json.MAPPER.valueToTree(report);
            node.put("dryRun", dryRun);
            node.put("exitCode", exit.code());
            if (dryRun) {
                node.put("diff", report.unifiedDiff());
            }
            out.println(node.toString());
        } else {
            // With --dry-run stdout carries only the diff (so it can be piped to `git apply`).
            PrintWriter changes = dryRun ? err : out;
            for (Change change : report.changes()) {
                changes.println(changeLine(change));
            }
            if (dryRun) {
                out.print(report.unifiedDiff());
            }
        }
        out.flush();
        err.println(summary(report));
        err.flush();
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

    private int fail(PrintWriter err, ExitCode exit, String problem, String file, int line, String message) {
        if (json) {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("outcome", "ERROR");
            node.put("exitCode", exit.code());
            ObjectNode error = node.putObject("error");
            error.put("problem", problem);
            error.put("file", file);
            error.put("line", line);
            error.put("message", message);
            spec.commandLine().getOut().println(node.toString());
            spec.commandLine().getOut().flush();
        }
        err.println("gitops set-image: " + message);
        err.flush();
        return exit.code();
    }

    /** Jackson costs ~100 ms of class loading: only --json pays for it, on first use. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Invalid command-line input, already phrased with the option it came from. */
    private static final class BadArgumentException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgumentException(String message) {
            super(message);
        }
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
