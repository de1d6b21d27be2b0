package io.jenkins.plugins.gitops.core.manifest;

import io.jenkins.plugins.gitops.core.manifest.EditReport.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Finds and rewrites image references in the YAML and JSON files of one repository checkout, changing
 * nothing but the target values: comments, quoting, key order, indentation, line endings, blank lines and
 * everything else survive byte for byte. Each edited document is re-parsed and compared with the original;
 * any difference besides the intended values refuses the edit. Thread-safe; holds no state between calls.
 */
public final class ManifestEditor {

    /**
     * Parser hardening.
     *
     * @param maxFileBytes    files larger than this are refused
     * @param maxAliases      aliases allowed per document (a "billion laughs" bomb needs many)
     * @param maxNestingDepth nesting allowed per document
     */
    public record Limits(long maxFileBytes, int maxAliases, int maxNestingDepth) {
        /** 8 MiB, 100 aliases, depth 100. */
        public static final Limits DEFAULT = new Limits(8L << 20, 100, 100);
    }

    /** How the planned edits of one document become its new text; verification then checks that text. */
    @FunctionalInterface
    interface Rendering {
        /** The splices of {@link DocumentEdits#render()}, the one rendering outside tests. */
        Rendering SPLICES = DocumentEdits::render;

        String newText(DocumentEdits edits);
    }

    private final Path root;
    private final Limits limits;
    private final ChangeSetWriter.Checkpoint checkpoint;
    private final Rendering rendering;

    /** An editor for the checkout at {@code root}, with {@link Limits#DEFAULT}. */
    public ManifestEditor(Path root) {
        this(root, Limits.DEFAULT);
    }

    public ManifestEditor(Path root, Limits limits) {
        this(root, limits, ChangeSetWriter.Checkpoint.NONE);
    }

    /** An editor whose writer stops at {@code checkpoint}: tests crash or fail it there. */
    ManifestEditor(Path root, Limits limits, ChangeSetWriter.Checkpoint checkpoint) {
        this(root, limits, checkpoint, Rendering.SPLICES);
    }

    /** An editor that renders with {@code rendering}: tests put a wrong splice in to show that verification refuses it. */
    ManifestEditor(Path root, Limits limits, ChangeSetWriter.Checkpoint checkpoint, Rendering rendering) {
        this.root = root.toAbsolutePath().normalize();
        this.limits = limits;
        this.checkpoint = checkpoint;
        this.rendering = rendering;
    }

    /**
     * Computes the edit without writing anything.
     *
     * @throws ManifestEditException naming file and line when a file cannot be read, parsed or safely edited
     * @throws IllegalArgumentException when the request is incomplete (see {@link EditRequest#validated()})
     */
    public EditReport plan(EditRequest request) {
        request.validated();
        recoverInterruptedChangeSet(root);
        FileScope scope = new FileScope(root);
        YamlReader reader = new YamlReader(limits);
        List<ImageUpdate> updates = request.updates();
        List<KeyPath> keyPaths = request.keyPaths().stream().map(KeyPath::parse).toList();
        List<KeyPath> helmKeyPaths = request.helmKeyPaths().stream().map(KeyPath::parse).toList();
        int[] references = new int[updates.size()];
        boolean[] changed = new boolean[updates.size()];
        List<Change> changes = new ArrayList<>();
        List<FileEdit> files = new ArrayList<>();
        for (DocumentEdits edits : edits(request, scope, reader, keyPaths, helmKeyPaths)) {
            for (int i = 0; i < updates.size(); i++) {
                references[i] += edits.references(i);
                changed[i] |= edits.changed(i);
            }
            if (edits.hasChanges()) {
                String after = rendering.newText(edits);
                edits.verify(after, reader);
                SourceFile source = edits.source();
                boolean created = source.original().isEmpty() && !Files.exists(scope.resolve(source.file()));
                files.add(new FileEdit(source.file(), created, source.original(),
                        new String(source.encode(after), StandardCharsets.UTF_8)));
                List<Change> fileChanges = new ArrayList<>(edits.changes());
                fileChanges.sort(Comparator.comparingInt(Change::line));
                changes.addAll(fileChanges);
            }
        }
        List<EditReport.ImageResult> images = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            images.add(new EditReport.ImageResult(updates.get(i).image(),
                    changed[i] ? Outcome.CHANGED : references[i] > 0 ? Outcome.UNCHANGED : Outcome.NOT_FOUND, references[i]));
        }
        Outcome overall = files.isEmpty()
                ? images.stream().anyMatch(r -> r.outcome() == Outcome.NOT_FOUND) ? Outcome.NOT_FOUND : Outcome.UNCHANGED
                : Outcome.CHANGED;
        return new EditReport(overall, images, changes, files);
    }

    /**
     * Computes and writes the edit, all or nothing: every file is planned and verified first, then each
     * new text goes to a temporary file beside its target and all are renamed into place; on any error
     * no file has changed. Files with nothing to change are never rewritten.
     *
     * @throws ManifestEditException naming file and line; nothing has been written
     */
    public EditReport apply(EditRequest request) {
        return apply(request, report -> List.of());
    }

    /**
     * {@link #apply(EditRequest)}, writing also the files {@code companions} computes from the plan (the edit
     * journal) in the same all-or-nothing change set: when any of them cannot be written, no file has changed.
     */
    public EditReport apply(EditRequest request, Function<EditReport, List<CompanionFile>> companions) {
        EditReport report = plan(request);
        if (report.files().isEmpty()) {
            return report;
        }
        List<ChangeSetWriter.Target> targets = new ArrayList<>(ChangeSetWriter.targets(new FileScope(root), report.files()));
        for (CompanionFile companion : companions.apply(report)) {
            targets.add(new ChangeSetWriter.Target(companion.path().toString(), companion.path(), companion.before(), companion.after()));
        }
        new ChangeSetWriter(checkpoint).write(ChangeSetIntent.locationFor(root), targets);
        return report;
    }

    /**
     * Completes or undoes a change set that a killed run left half-written in the checkout holding {@code directory}
     * (or in {@code directory} outside any checkout), so that its files are all old or all new; every edit and
     * every push does this first. Does nothing when there is none.
     *
     * @throws ManifestEditException when a file of the set changed since the crash (named), or another live process
     *     is writing the set
     */
    public static void recoverInterruptedChangeSet(Path directory) {
        ChangeSetIntent.recover(ChangeSetIntent.locationFor(directory));
    }

    private List<DocumentEdits> edits(EditRequest request, FileScope scope, YamlReader reader, List<KeyPath> keyPaths,
                                      List<KeyPath> helmKeyPaths) {
        List<ImageUpdate> updates = request.updates();
        List<DocumentEdits> result = new ArrayList<>();
        if (request.kind() == TargetKind.ARGOCD_SOURCE) {
            result.add(argocdSource(request, scope, reader, helmKeyPaths));
            return result;
        }
        List<ReferenceScreen.Screened> screened;
        if (request.kind() == TargetKind.KUSTOMIZATION) {
            // Entries may be added to any kustomization: every one is a candidate.
            screened = scope.collect(request.paths()).stream()
                    .filter(candidate -> KustomizationImages.isKustomizationFile(candidate.fileName()))
                    .sorted(Comparator.comparing(FileScope.Candidate::relative))
                    .map(candidate -> new ReferenceScreen.Screened(candidate, null, null))
                    .toList();
        } else {
            ReferenceScreen screen = new ReferenceScreen(ReferenceScreen.shortNames(updates), limits.maxFileBytes());
            scope.walk(request.paths(), screen);
            screened = screen.passed();
        }
        for (ReferenceScreen.Screened file : screened) {
            if (file.failure() != null) {
                throw file.failure();
            }
            FileScope.Candidate candidate = file.candidate();
            byte[] bytes = file.bytes() != null ? file.bytes() : ReferenceScreen.read(candidate, limits.maxFileBytes());
            SourceFile source = SourceFile.decode(candidate.relative(), bytes);
            DocumentEdits edits = new DocumentEdits(source, reader.parse(source), updates.size());
            for (Node document : edits.documents()) {
                find(request.kind(), candidate.fileName(), document, edits, updates, keyPaths, helmKeyPaths);
            }
            result.add(edits);
        }
        return result;
    }

    private static void find(TargetKind kind, String fileName, Node document, DocumentEdits edits,
                             List<ImageUpdate> updates, List<KeyPath> keyPaths, List<KeyPath> helmKeyPaths) {
        switch (kind) {
            case KUSTOMIZATION -> KustomizationImages.find(edits, document, updates, true);
            case WORKLOAD -> WorkloadImages.find(edits, document, updates);
            case HELM_VALUES -> {
                if (!Nodes.isKubernetesObject(document)) {
                    HelmValuesImages.find(edits, document, updates, helmKeyPaths, "");
                }
            }
            case APPLICATION -> {
                if (ApplicationSources.isApplication(document)) {
                    ApplicationSources.findInApplication(edits, document, updates, helmKeyPaths);
                }
            }
            case KEY_PATH -> KeyPathImages.find(edits, document, updates, keyPaths);
            default -> {
                if (KustomizationImages.isKustomizationFile(fileName)) {
                    KustomizationImages.find(edits, document, updates, false);
                } else if (ArgocdSourceFile.isArgocdSourceFile(fileName)) {
                    ApplicationSources.findInSource(edits, document, updates, helmKeyPaths, "", TargetKind.ARGOCD_SOURCE);
                } else if (ApplicationSources.isApplication(document)) {
                    ApplicationSources.findInApplication(edits, document, updates, helmKeyPaths);
                } else if (WorkloadImages.isWorkload(document)) {
                    WorkloadImages.find(edits, document, updates);
                } else if (HelmValuesImages.isValuesFile(fileName) && !Nodes.isKubernetesObject(document)) {
                    HelmValuesImages.find(edits, document, updates, helmKeyPaths, "");
                }
                if (!keyPaths.isEmpty()) {
                    KeyPathImages.find(edits, document, updates, keyPaths);
                }
            }
        }
    }

    private DocumentEdits argocdSource(EditRequest request, FileScope scope, YamlReader reader, List<KeyPath> helmKeyPaths) {
        if (request.paths().size() > 1) {
            throw new ManifestEditException(ManifestEditException.Problem.UNSUPPORTED_SHAPE, null, 0,
                    "an .argocd-source file is written to one directory (the application's source path); give one path");
        }
        String directory = request.paths().isEmpty() ? "" : request.paths().get(0).replaceAll("/+$", "");
        Path directoryPath = directory.isEmpty() ? root : scope.resolve(directory);
        if (!Files.isDirectory(directoryPath)) {
            throw new ManifestEditException(ManifestEditException.Problem.PATH_NOT_FOUND, directory, 0,
                    "not a directory; give the application's source path");
        }
        String relative = (directory.isEmpty() ? "" : directory + "/") + ArgocdSourceFile.fileName(request.argocdSourceApp());
        Path file = scope.resolve(relative);
        // A chart, or a plain values directory: Argo CD renders it with Helm, so the override is a parameter.
        boolean helmChart = Files.exists(directoryPath.resolve("Chart.yaml"))
                || (Files.exists(directoryPath.resolve("values.yaml")) && !Files.exists(directoryPath.resolve("kustomization.yaml")));
        List<ImageUpdate> updates = request.updates();
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            SourceFile source = SourceFile.decode(relative, ReferenceScreen.read(scope.candidate(relative, file), limits.maxFileBytes()));
            YamlReader.Parsed parsed = reader.parse(source);
            DocumentEdits edits = new DocumentEdits(source, parsed, updates.size());
            if (parsed.documents().isEmpty()) {
                ArgocdSourceFile.create(edits, updates, helmKeyPaths, helmChart);
            } else {
                ArgocdSourceFile.upsert(edits, updates, helmKeyPaths, helmChart);
            }
            return edits;
        }
        DocumentEdits edits = new DocumentEdits(SourceFile.empty(relative),
                new YamlReader.Parsed(List.of(), Map.of()), updates.size());
        ArgocdSourceFile.create(edits, updates, helmKeyPaths, helmChart);
        return edits;
    }
}
