package io.jenkins.plugins.gitops.core.strategy;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.registry.ImageConfig;
import io.jenkins.plugins.gitops.core.registry.Manifest;
import io.jenkins.plugins.gitops.core.registry.Platform;
import io.jenkins.plugins.gitops.core.registry.RegistryClient;
import io.jenkins.plugins.gitops.core.registry.RegistryException;
import io.jenkins.plugins.gitops.core.registry.Repository;
import io.jenkins.plugins.gitops.core.strategy.Candidate.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Turns an image, a strategy and its filters into the version to deploy, reading the image's registry, with a report
 * of every tag considered. The manifest editor then writes the choice like any given tag.
 *
 * <p>{@code newest-build} reads one manifest (and, for an index, the manifests of the wanted platforms only) and one
 * configuration per eligible tag, from at most {@code parallelism} threads; tags that share an image cost one read.
 * A tag without a {@code created} time ranks as the oldest. Among equal times the tag last in lexical order wins,
 * as in Image Updater.
 */
public final class ImageResolver {

    /** Concurrent registry reads of {@code newest-build} when not told otherwise. */
    public static final int DEFAULT_PARALLELISM = 4;

    private final RegistryClient client;
    private final int parallelism;

    public ImageResolver(RegistryClient client) {
        this(client, DEFAULT_PARALLELISM);
    }

    public ImageResolver(RegistryClient client, int parallelism) {
        this.client = Objects.requireNonNull(client, "client");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /**
     * Resolves {@code request}.
     *
     * @throws IllegalArgumentException when {@code digest} has no tag to follow
     * @throws RegistryException when the registry cannot be read (the message names registry, repository and remedy)
     */
    public Resolution resolve(ResolveRequest request) {
        Repository repository = Repository.of(request.image());
        if (request.strategy() == UpdateStrategy.DIGEST) {
            return followDigest(request, repository);
        }
        List<String> tags = client.tags(repository);
        Map<String, Candidate> verdicts = new LinkedHashMap<>();
        List<String> allowed = new ArrayList<>();
        for (String tag : tags) {
            String glob = request.filter().ignoredBy(tag);
            if (!request.filter().allows(tag)) {
                verdicts.put(tag, new Candidate(tag, Verdict.NOT_ALLOWED, "does not match " + request.filter().allowText()));
            } else if (glob != null) {
                verdicts.put(tag, new Candidate(tag, Verdict.IGNORED, "matches ignoreTags " + glob));
            } else {
                allowed.add(tag);
            }
        }
        Optional<String> best = switch (request.strategy()) {
            case SEMVER -> highestVersion(request, allowed, verdicts);
            case ALPHABETICAL -> lastInOrder(allowed, verdicts);
            case NEWEST_BUILD -> newestBuild(request, repository, allowed, verdicts);
            case DIGEST -> throw new IllegalStateException("handled above");
        };
        List<Candidate> candidates = tags.stream().map(verdicts::get).toList();
        if (best.isEmpty()) {
            return new Resolution.NoCandidate(Resolution.Why.NOTHING_MATCHES, null,
                    nothingMatches(request, repository, candidates), candidates);
        }
        String tag = best.get();
        String digest = request.pinDigest() ? client.digest(repository, tag) : null;
        ImageReference chosen = request.image().withTag(tag).withDigest(digest);
        String why = switch (request.strategy()) {
            case SEMVER -> "the highest version" + (request.constraint() == VersionConstraint.ANY ? ""
                    : " satisfying " + request.constraint());
            case ALPHABETICAL -> "the last tag in lexical order";
            default -> "the newest build (" + verdicts.get(tag).detail() + ")";
        };
        String reason = why + " among " + allowed.size() + " allowed of " + tags.size() + " tag(s) of " + repository
                + (digest == null ? "" : ", pinned to its digest");
        return decided(request, chosen, tag, digest, tag + ": " + reason, candidates);
    }

    private Resolution followDigest(ResolveRequest request, Repository repository) {
        String tag = request.followTag() != null ? request.followTag() : request.image().tag();
        if (tag == null) {
            throw new IllegalArgumentException("the digest strategy follows one tag: name it in the image ("
                    + request.image().name() + ":latest) or as the tag to follow");
        }
        String digest = client.digest(repository, tag);
        List<Candidate> candidates = List.of(new Candidate(tag, Verdict.CHOSEN, digest));
        return decided(request, request.image().withTag(tag).withDigest(digest), tag, digest,
                tag + " of " + repository + " points to " + digest, candidates);
    }

    /** The choice, or no candidate when the image given already is it. */
    private static Resolution decided(ResolveRequest request, ImageReference chosen, String tag, String digest, String reason,
                                      List<Candidate> candidates) {
        ImageReference current = request.image();
        boolean sameDigest = digest == null ? current.digest() == null : digest.equals(current.digest());
        if (tag.equals(current.tag()) && sameDigest) {
            return new Resolution.NoCandidate(Resolution.Why.CURRENT_IS_NEWEST, current,
                    "the current version " + current + " already is the one chosen: " + reason, candidates);
        }
        return new Resolution.Chosen(chosen, tag, digest, reason, candidates);
    }

    private static Optional<String> highestVersion(ResolveRequest request, List<String> allowed, Map<String, Candidate> verdicts) {
        Map<String, SemanticVersion> eligible = new LinkedHashMap<>();
        for (String tag : allowed) {
            Optional<SemanticVersion> version = SemanticVersion.parse(tag);
            if (version.isEmpty()) {
                verdicts.put(tag, new Candidate(tag, Verdict.NOT_SEMVER, "not a semantic version"));
            } else if (!request.constraint().test(version.get())) {
                verdicts.put(tag, new Candidate(tag, Verdict.OUTSIDE_CONSTRAINT, version.get()
                        + (version.get().isPrerelease() && request.constraint().test(version.get().release())
                                ? " is a pre-release the constraint does not name"
                                : " does not satisfy " + (request.constraint() == VersionConstraint.ANY ? "the constraint"
                                        : request.constraint()))));
            } else {
                eligible.put(tag, version.get());
            }
        }
        // Equal versions (v1.2 and 1.2.0): the tag last in lexical order, so the choice does not depend on tag order.
        Comparator<Map.Entry<String, SemanticVersion>> order = Map.Entry.<String, SemanticVersion>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey());
        return rank(eligible, order, verdicts, Object::toString);
    }

    private static Optional<String> lastInOrder(List<String> allowed, Map<String, Candidate> verdicts) {
        Map<String, String> eligible = new LinkedHashMap<>();
        allowed.forEach(tag -> eligible.put(tag, tag));
        return rank(eligible, Map.Entry.comparingByKey(), verdicts, tag -> "");
    }

    private Optional<String> newestBuild(ResolveRequest request, Repository repository, List<String> allowed,
                                         Map<String, Candidate> verdicts) {
        Map<String, Optional<Instant>> built = buildTimes(request, repository, allowed);
        Map<String, Instant> eligible = new LinkedHashMap<>();
        for (String tag : allowed) {
            Optional<Instant> time = built.get(tag);
            if (time.isEmpty()) {
                verdicts.put(tag, new Candidate(tag, Verdict.NO_PLATFORM, "no image for "
                        + request.platforms().stream().map(Platform::toString).collect(Collectors.joining(", "))));
            } else {
                eligible.put(tag, time.get());
            }
        }
        Comparator<Map.Entry<String, Instant>> order = Map.Entry.<String, Instant>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey());
        return rank(eligible, order, verdicts, time -> time.equals(Instant.EPOCH) ? "no created time" : "built " + time);
    }

    private static <V> Optional<String> rank(Map<String, V> eligible, Comparator<Map.Entry<String, V>> order,
                                             Map<String, Candidate> verdicts, java.util.function.Function<V, String> detail) {
        Optional<String> best = eligible.entrySet().stream().max(order).map(Map.Entry::getKey);
        eligible.forEach((tag, value) -> verdicts.put(tag, new Candidate(tag,
                best.get().equals(tag) ? Verdict.CHOSEN : Verdict.ELIGIBLE, detail.apply(value))));
        return best;
    }

    /** Each tag's build time on the wanted platforms (empty: none), read from {@code parallelism} threads. */
    private Map<String, Optional<Instant>> buildTimes(ResolveRequest request, Repository repository, List<String> tags) {
        Map<String, Optional<Instant>> result = new LinkedHashMap<>();
        if (tags.isEmpty()) {
            return result;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, tags.size()), task -> {
            Thread thread = new Thread(task, "gitops-registry-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Future<Optional<Instant>>> pending = new LinkedHashMap<>();
            for (String tag : tags) {
                pending.put(tag, pool.submit(() -> buildTime(repository, tag, request.platforms())));
            }
            for (Map.Entry<String, Future<Optional<Instant>>> entry : pending.entrySet()) {
                result.put(entry.getKey(), entry.getValue().get());
            }
            return result;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "interrupted while reading " + repository);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * When the image of {@code tag} was built for one of {@code platforms}: for an index the newest of its wanted
     * platforms' images (other platforms are not read), for a single image its own time when its configuration
     * names a wanted platform or none at all.
     */
    private Optional<Instant> buildTime(Repository repository, String tag, List<Platform> platforms) {
        Manifest manifest = client.manifest(repository, tag);
        if (manifest instanceof Manifest.Image image) {
            ImageConfig config = client.config(repository, image.configDigest());
            boolean runs = config.os() == null || config.architecture() == null
                    || platforms.stream().anyMatch(p -> p.matches(config.os(), config.architecture(), config.variant()));
            return runs ? Optional.of(created(config)) : Optional.empty();
        }
        Optional<Instant> newest = Optional.empty();
        for (Manifest.Entry entry : ((Manifest.Index) manifest).manifests()) {
            if (platforms.stream().anyMatch(entry::runsOn)
                    && client.manifest(repository, entry.digest()) instanceof Manifest.Image image) {
                Instant created = created(client.config(repository, image.configDigest()));
                newest = newest.isPresent() && newest.get().isAfter(created) ? newest : Optional.of(created);
            }
        }
        return newest;
    }

    private static Instant created(ImageConfig config) {
        return config.created() == null ? Instant.EPOCH : config.created();
    }

    private static String nothingMatches(ResolveRequest request, Repository repository, List<Candidate> candidates) {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        candidates.forEach(c -> counts.merge(c.verdict(), 1L, Long::sum));
        StringBuilder reason = new StringBuilder("no tag of ").append(repository).append(" is eligible for ")
                .append(request.strategy());
        if (request.constraint() != VersionConstraint.ANY) {
            reason.append(" ").append(request.constraint());
        }
        reason.append(": ").append(candidates.size()).append(" tag(s)");
        counts.forEach((verdict, n) -> reason.append(", ").append(n).append(" ").append(switch (verdict) {
            case NOT_ALLOWED -> "not allowed by " + request.filter().allowText();
            case IGNORED -> "ignored by " + String.join(", ", request.filter().ignoreText());
            case NOT_SEMVER -> "not semantic versions";
            case OUTSIDE_CONSTRAINT -> "outside the constraint";
            case NO_PLATFORM -> "without an image for " + request.platforms().stream().map(Platform::toString)
                    .collect(Collectors.joining(", "));
            default -> verdict.name().toLowerCase(java.util.Locale.ROOT);
        }));
        return reason.toString();
    }
}
