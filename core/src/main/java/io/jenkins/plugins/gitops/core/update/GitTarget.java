package io.jenkins.plugins.gitops.core.update;

import io.jenkins.plugins.gitops.core.git.GitCredentials;
import io.jenkins.plugins.gitops.core.manifest.EditReport;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ManifestEditor;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import io.jenkins.plugins.gitops.core.update.SourceTarget.SourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One repository and branch an Application's image edit goes to: cloned, edited, committed and pushed once, whatever
 * the number of the app's sources in it. Made by {@link ApplicationTargets#resolve}.
 *
 * @param app the Application's name
 * @param instanceName the name Argo CD reads its write-back file {@code .argocd-source-<instanceName>.yaml} under
 *     ({@link io.jenkins.plugins.gitops.core.argocd.Application#instanceName()}); empty when the Application cannot
 *     tell yet
 * @param repoURL the repository as the Application names it
 * @param branch the branch ({@code targetRevision}); empty for the repository's default branch ({@code HEAD})
 * @param sources the places in it, in the Application's order
 * @param onlyReferencing true for a multi-source app: only the sources whose files reference the image are edited
 */
public record GitTarget(String app, Optional<String> instanceName, String repoURL, Optional<String> branch,
                        List<SourceTarget> sources, boolean onlyReferencing) {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");
    private static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    public GitTarget {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(repoURL, "repoURL");
        Objects.requireNonNull(branch, "branch");
        sources = List.copyOf(sources);
    }

    /** The files and directories a clone must write to disk; empty when a source is the repository's root. */
    public List<String> checkoutPaths() {
        Set<String> paths = new LinkedHashSet<>();
        for (SourceTarget source : sources) {
            List<String> own = source.checkoutPaths();
            if (own.isEmpty()) {
                return List.of();
            }
            paths.addAll(own);
        }
        return List.copyOf(paths);
    }

    /** How messages name it: {@code https://git.example.org/config.git (branch main)}. */
    public String describe() {
        return Redaction.apply(repoURL) + " (" + branch.map(b -> "branch " + b).orElse("its default branch") + ")";
    }

    /**
     * Refuses credentials that cannot authenticate to the repository's transport: an SSH key for an HTTPS URL, a
     * user name and password for an SSH one.
     *
     * @throws TargetRefusedException saying which credentials the URL needs
     */
    public void requireCredentialsFit(GitCredentials credentials) {
        boolean ssh = isSsh(repoURL);
        if (credentials instanceof GitCredentials.SshPrivateKey && !ssh) {
            throw new TargetRefusedException("Application '" + app + "' takes its files from " + Redaction.apply(repoURL)
                    + ", which is not an SSH URL, but the credentials given are an SSH key: give HTTPS credentials"
                    + " (a user name with a password or token) for this repository.");
        }
        if (credentials instanceof GitCredentials.UsernamePassword && ssh) {
            throw new TargetRefusedException("Application '" + app + "' takes its files from " + Redaction.apply(repoURL)
                    + ", an SSH URL, but the credentials given are a user name and password: give an SSH private key"
                    + " for this repository.");
        }
    }

    /**
     * Refuses a {@code targetRevision} that is not a branch of the repository: a tag or a commit cannot move, so a
     * push has nowhere to go.
     *
     * @param remoteRefs the names the repository advertises ({@code refs/heads/main}, {@code refs/tags/v1}, ...)
     * @throws TargetRefusedException saying what the revision is and what to do instead
     */
    public void requireBranch(Set<String> remoteRefs) {
        if (branch.isEmpty() || remoteRefs.contains("refs/heads/" + branch.get())) {
            return;
        }
        String revision = branch.get();
        String instead = " Point the Application at a branch, or name the repository, branch and path yourself"
                + " instead of the application.";
        if (remoteRefs.contains("refs/tags/" + revision)) {
            throw new TargetRefusedException("Application '" + app + "' follows the tag '" + revision + "' of "
                    + Redaction.apply(repoURL) + ": a tag does not move, so there is no branch to push to." + instead);
        }
        if (COMMIT.matcher(revision).matches()) {
            throw new TargetRefusedException("Application '" + app + "' is pinned to the commit " + revision + " of "
                    + Redaction.apply(repoURL) + ": there is no branch to push to." + instead);
        }
        throw new TargetRefusedException("Application '" + app + "' follows '" + revision + "', which is not a branch of "
                + Redaction.apply(repoURL) + "." + instead);
    }

    /**
     * The edit requests for this repository's work tree, one per source: the kind of each source is decided from
     * its files when the Application does not declare it. With {@code base} of kind {@link TargetKind#AUTO} a
     * kustomization's {@code images:}, a chart's value files or a directory's workloads are edited; with
     * {@link TargetKind#ARGOCD_SOURCE} the write-back file in the source's directory; with another kind, that
     * kind over the source's files.
     *
     * @param base the images, Helm key paths and kind to use (its paths are replaced)
     * @return the requests; for a multi-source app only those of sources whose files reference the image (possibly
     *     none)
     */
    public List<EditRequest> requests(Path workTree, EditRequest base) {
        List<EditRequest> requests = new ArrayList<>();
        for (SourceTarget source : sources) {
            Optional<EditRequest> request = request(workTree, source, base);
            if (request.isPresent() && (!onlyReferencing || references(workTree, source, request.get()))) {
                requests.add(request.get());
            }
        }
        return requests;
    }

    private Optional<EditRequest> request(Path workTree, SourceTarget source, EditRequest base) {
        List<String> directory = source.path().isEmpty() ? List.of() : List.of(source.path());
        if (base.kind() == TargetKind.ARGOCD_SOURCE) {
            if (source.valuesOnly()) {
                return Optional.empty(); // Argo CD reads the write-back file from a source's own directory
            }
            String name = base.argocdSourceApp() != null ? base.argocdSourceApp() : instanceName.orElseThrow(() ->
                    new TargetRefusedException("Application '" + app + "' is in a namespace of its own and the controller"
                            + " has not reconciled it yet (its status names no controller namespace), so which write-back"
                            + " file Argo CD reads cannot be told: '.argocd-source-" + app + ".yaml' in the control"
                            + " plane's namespace, '.argocd-source-<namespace>_" + app + ".yaml' in another. Name the"
                            + " write-back file's application yourself, or try again once the app is reconciled."));
            return Optional.of(base.withArgocdSourceApp(name).withPaths(directory));
        }
        if (source.valuesOnly()) {
            return Optional.of(base.withKind(base.kind() == TargetKind.AUTO ? TargetKind.HELM_VALUES : base.kind())
                    .withPaths(source.valueFiles()));
        }
        Path root = workTree.resolve(source.path());
        SourceKind kind = source.kind().orElseGet(() -> discover(root));
        if (base.kind() != TargetKind.AUTO) {
            return Optional.of(base.withPaths(kind == SourceKind.HELM ? valueFiles(source) : directory));
        }
        return switch (kind) {
            case KUSTOMIZE -> Optional.of(base.withKind(TargetKind.KUSTOMIZATION)
                    .withPaths(List.of(join(source.path(),
                            Objects.requireNonNullElse(kustomizationFile(root), KUSTOMIZATION_FILES.get(0))))));
            case HELM -> Optional.of(base.withKind(TargetKind.HELM_VALUES).withPaths(valueFiles(source)));
            case DIRECTORY -> {
                List<String> files = source.recurse() ? directory : manifestsIn(root, source.path());
                yield files.isEmpty() ? Optional.empty() : Optional.of(base.withKind(TargetKind.WORKLOAD).withPaths(files));
            }
        };
    }

    /** Whether the source's files reference the image already (a kustomization's entry is added, so asked as AUTO). */
    private static boolean references(Path workTree, SourceTarget source, EditRequest request) {
        EditRequest probe = request.kind() == TargetKind.KUSTOMIZATION || request.kind() == TargetKind.ARGOCD_SOURCE
                ? request.withKind(TargetKind.AUTO).withPaths(source.path().isEmpty() ? List.of() : List.of(source.path()))
                : request;
        return new ManifestEditor(workTree).plan(probe).outcome() != EditReport.Outcome.NOT_FOUND;
    }

    /** As Argo CD tells them apart: a chart has a Chart.yaml, a kustomization its file, anything else is a directory. */
    private static SourceKind discover(Path directory) {
        if (Files.isRegularFile(directory.resolve("Chart.yaml"))) {
            return SourceKind.HELM;
        }
        return kustomizationFile(directory) != null ? SourceKind.KUSTOMIZE : SourceKind.DIRECTORY;
    }

    private static String kustomizationFile(Path directory) {
        for (String name : KUSTOMIZATION_FILES) {
            if (Files.isRegularFile(directory.resolve(name))) {
                return name;
            }
        }
        return null;
    }

    private static List<String> valueFiles(SourceTarget source) {
        return source.valueFiles().isEmpty() ? List.of(join(source.path(), "values.yaml")) : source.valueFiles();
    }

    /** The YAML and JSON files directly in the directory: without {@code directory.recurse} Argo CD reads no deeper. */
    private static List<String> manifestsIn(Path directory, String relative) {
        if (!Files.isDirectory(directory)) {
            return List.of(relative); // the editor names the missing path
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> String.valueOf(file.getFileName()))
                    .filter(name -> name.toLowerCase(Locale.ROOT).matches(".*\\.(ya?ml|json)"))
                    .sorted()
                    .map(name -> join(relative, name))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    static String join(String directory, String file) {
        return directory.isEmpty() ? file : directory + "/" + file;
    }

    /** Whether two URLs name the same repository, as Argo CD matches them: case, a trailing {@code .git} or slash aside. */
    public static boolean sameRepository(String url, String other) {
        return normaliseUrl(url).equals(normaliseUrl(other));
    }

    /** The same repository whatever the spelling Argo CD accepts: case, a trailing {@code .git} or slash. */
    static String normaliseUrl(String url) {
        String u = url == null ? "" : url.strip().toLowerCase(Locale.ROOT);
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u.endsWith(".git") ? u.substring(0, u.length() - 4) : u;
    }

    /** {@code ssh://}, {@code git+ssh://}, or the scp-like {@code [user@]host:path}. */
    static boolean isSsh(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        int scheme = lower.indexOf("://");
        if (scheme >= 0) {
            return lower.substring(0, scheme).matches("ssh|git\\+ssh|ssh\\+git");
        }
        return lower.matches("[^/]+:.*") && !lower.matches("[a-z]:[\\\\/].*");
    }
}
