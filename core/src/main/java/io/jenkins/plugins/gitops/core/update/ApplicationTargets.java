package io.jenkins.plugins.gitops.core.update;

import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.Application.Source;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import io.jenkins.plugins.gitops.core.update.SourceTarget.SourceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an Argo CD Application keeps its image in git, read from the Application itself (through the Argo CD API or
 * the Kubernetes API, both give the same {@link Application}): the repository URL, the branch
 * ({@code targetRevision}), the path and the kind of each source, so that a pipeline names the application and not
 * the repository.
 *
 * <ul>
 *   <li>A single source in git: its directory (a kustomization's {@code images:}, a chart's value files as
 *       {@code helm.valueFiles} lists them, else its {@code values.yaml}, or a directory's workloads).</li>
 *   <li>A multi-source app: every source in git with a path, and the value files a chart source takes from another
 *       source ({@code $ref/...}), in that source's repository and branch; only the sources whose files reference
 *       the image are edited ({@link GitTarget#requests}).</li>
 *   <li>Refused, saying why and what to give instead: a chart from a Helm or OCI repository with no value file in
 *       git, a config management plugin, an image the Application overrides itself in
 *       {@code kustomize.images}, a full commit SHA as {@code targetRevision} (tags and short SHAs are told apart
 *       from branches by {@link GitTarget#requireBranch} once the repository's refs are known).</li>
 * </ul>
 */
public final class ApplicationTargets {

    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");

    private ApplicationTargets() {}

    /**
     * The repositories and branches to edit for {@code update} in {@code app}, grouped so that each is cloned and
     * pushed once.
     *
     * @throws TargetRefusedException when nothing of the Application can be edited in git (the message says why
     *     and what to give instead)
     */
    public static List<GitTarget> resolve(Application app, ImageUpdate update) {
        String name = app.name();
        List<Source> sources = app.spec().allSources();
        if (sources.isEmpty()) {
            throw new TargetRefusedException("Application '" + name + "' has no source.");
        }
        boolean multi = app.spec().source() == null && sources.size() > 1;
        Map<String, Source> refs = new LinkedHashMap<>();
        sources.stream().filter(s -> s.ref() != null && !s.ref().isBlank()).forEach(s -> refs.put(s.ref(), s));
        Map<String, List<SourceTarget>> byRepository = new LinkedHashMap<>();
        Map<String, Source> firstOfRepository = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            String label = multi ? "source " + (i + 1) : "its source";
            requireNoOverride(name, label, source, update);
            List<String> ownValueFiles = new ArrayList<>();
            String path = source.path() == null ? "" : normalise(name, label, "", source.path());
            for (String file : source.helm() == null ? List.<String>of() : source.helm().valueFiles()) {
                if (file.startsWith("$")) {
                    int slash = file.indexOf('/');
                    String refName = slash < 0 ? file.substring(1) : file.substring(1, slash);
                    Source referenced = refs.get(refName);
                    if (referenced == null || slash < 0) {
                        throw new TargetRefusedException("Application '" + name + "', " + label + ": the value file '"
                                + file + "' names no source with 'ref: " + refName + "'.");
                    }
                    String relative = normalise(name, label, "", file.substring(slash + 1));
                    add(byRepository, firstOfRepository, referenced, new SourceTarget(label + " value file " + file, "",
                            Optional.of(SourceKind.HELM), List.of(relative), false, true));
                } else if (file.contains("://")) {
                    skipped.add(label + " value file " + Redaction.apply(file) + " is fetched over the network");
                } else {
                    ownValueFiles.add(normalise(name, label, path, file));
                }
            }
            if (isChartRepository(source)) {
                skipped.add(label + " is the chart '" + Optional.ofNullable(source.chart()).orElse(path) + "' from the "
                        + (isOci(source) ? "OCI" : "Helm") + " repository " + Redaction.apply(source.repoURL()));
                continue;
            }
            if (source.plugin() != null) {
                skipped.add(label + " is rendered by a config management plugin");
                continue;
            }
            if (source.path() == null && multi) {
                continue; // a source that only lends its files to others ($ref)
            }
            add(byRepository, firstOfRepository, source,
                    new SourceTarget(multi ? label + " (" + (path.isEmpty() ? "/" : path) + ")" : path.isEmpty() ? "/" : path,
                            path, declaredKind(source), ownValueFiles,
                            source.directory() != null && source.directory().recurse(), false));
        }
        if (byRepository.isEmpty()) {
            throw new TargetRefusedException("Application '" + name + "' has nothing to edit in git: "
                    + String.join("; ", skipped) + ". Override the image on the Application instead (write-back"
                    + " 'argocd'), or keep its values in git (a value file from a git source, '$ref/...') and name"
                    + " that repository, branch and path yourself.");
        }
        List<GitTarget> targets = new ArrayList<>();
        byRepository.forEach((key, list) -> {
            Source first = firstOfRepository.get(key);
            targets.add(new GitTarget(name, app.instanceName(), first.repoURL(), branch(name, first), list, multi));
        });
        return targets;
    }

    /** {@code targetRevision}: empty, {@code HEAD} and unset mean the default branch. */
    private static Optional<String> branch(String app, Source source) {
        String revision = source.targetRevision() == null ? "" : source.targetRevision().strip();
        if (revision.isEmpty() || revision.equals("HEAD")) {
            return Optional.empty();
        }
        if (FULL_SHA.matcher(revision).matches()) {
            throw new TargetRefusedException("Application '" + app + "' is pinned to the commit " + revision + " of "
                    + Redaction.apply(source.repoURL()) + ": there is no branch to push to. Point the Application at a"
                    + " branch, or name the repository, branch and path yourself instead of the application.");
        }
        return Optional.of(revision.startsWith("refs/heads/") ? revision.substring("refs/heads/".length()) : revision);
    }

    private static void add(Map<String, List<SourceTarget>> byRepository, Map<String, Source> firstOfRepository,
                            Source source, SourceTarget target) {
        String key = GitTarget.normaliseUrl(source.repoURL()) + "\n" + Optional.ofNullable(source.targetRevision()).orElse("HEAD");
        byRepository.computeIfAbsent(key, k -> new ArrayList<>()).add(target);
        firstOfRepository.putIfAbsent(key, source);
    }

    /** An image set by the Application itself wins over every file in git: editing git would change nothing. */
    private static void requireNoOverride(String app, String label, Source source, ImageUpdate update) {
        if (source.kustomize() == null) {
            return;
        }
        ImageReference wanted = update.reference();
        for (String entry : source.kustomize().images()) {
            int equals = entry.indexOf('=');
            String overridden = entry.substring(0, equals < 0 ? keyEnd(entry) : equals);
            ImageReference reference;
            try {
                reference = ImageReference.parse(overridden);
            } catch (RuntimeException e) {
                continue;
            }
            if (reference.sameImage(wanted)) {
                throw new TargetRefusedException("Application '" + app + "', " + label + ", sets " + update.image()
                        + " itself ('" + entry + "' in kustomize.images), which wins over every file in git: an edit"
                        + " there would not change what runs. Use the write-back 'argocd' to change that override,"
                        + " or remove it from the Application.");
            }
        }
    }

    private static int keyEnd(String entry) {
        int end = entry.length();
        int at = entry.indexOf('@');
        if (at >= 0) {
            end = at;
        }
        int colon = entry.lastIndexOf(':', end - 1);
        return colon > entry.lastIndexOf('/') ? colon : end;
    }

    private static Optional<SourceKind> declaredKind(Source source) {
        if (source.helm() != null && source.kustomize() == null && source.directory() == null) {
            return Optional.of(SourceKind.HELM);
        }
        if (source.kustomize() != null && source.helm() == null && source.directory() == null) {
            return Optional.of(SourceKind.KUSTOMIZE);
        }
        if (source.directory() != null && source.helm() == null && source.kustomize() == null) {
            return Optional.of(SourceKind.DIRECTORY);
        }
        return Optional.empty();
    }

    private static boolean isChartRepository(Source source) {
        return (source.chart() != null && !source.chart().isBlank()) || isOci(source);
    }

    private static boolean isOci(Source source) {
        return source.repoURL() != null && source.repoURL().toLowerCase(Locale.ROOT).startsWith("oci://");
    }

    /** {@code base/relative}, without {@code .} segments; {@code ..} may not leave the repository. */
    private static String normalise(String app, String label, String base, String relative) {
        List<String> segments = new ArrayList<>();
        String joined = relative.startsWith("/") ? relative : base + "/" + relative;
        for (String segment : joined.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new TargetRefusedException("Application '" + app + "', " + label + ": '" + relative
                            + "' leads outside the repository.");
                }
                segments.remove(segments.size() - 1);
            } else {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }
}
