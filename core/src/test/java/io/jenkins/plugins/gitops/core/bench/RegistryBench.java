package io.jenkins.plugins.gitops.core.bench;

import static io.jenkins.plugins.gitops.core.bench.BenchHarness.intArg;
import static io.jenkins.plugins.gitops.core.bench.BenchHarness.ms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.registry.RegistryClient;
import io.jenkins.plugins.gitops.core.registry.RequestKind;
import io.jenkins.plugins.gitops.core.strategy.ImageResolver;
import io.jenkins.plugins.gitops.core.strategy.Resolution;
import io.jenkins.plugins.gitops.core.strategy.ResolveRequest;
import io.jenkins.plugins.gitops.core.strategy.UpdateStrategy;
import io.jenkins.plugins.gitops.core.strategy.VersionConstraint;
import io.jenkins.plugins.gitops.core.testing.registry.LocalRegistry;
import io.jenkins.plugins.gitops.core.testing.registry.OciImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The update strategies against the real distribution registry (Debian's {@code docker-registry} on 127.0.0.1, plain
 * HTTP, anonymous), with images written as OCI layouts here and pushed by skopeo: {@code semver ^1.4} over 1,000 tags,
 * {@code newest-build} over 200 tags (half of them two-platform indexes) in two shapes (every tag its own build; two
 * tags per build, as a version tag and a commit tag), and {@code digest} of one tag (a two-platform index). Each timed run uses a fresh
 * client (no cached answer, the {@code /v2/} ping included) and reports its wall time and the requests it sent, by
 * kind. For {@code newest-build}, a client that GETs every tag's manifest and every wanted image's manifest and
 * configuration, without sharing answers between tags (as Argo CD Image Updater's registry scanner does on a cold
 * cache) is run on the same tags with the same parallelism. Run with {@code bench/registry.sh [--rounds N]}.
 */
public final class RegistryBench {

    private static final String SEMVER_REPO = "bench/semver";
    private static final String DISTINCT_REPO = "bench/distinct";
    private static final String ALIASED_REPO = "bench/aliased";
    private static final String FOLLOWED_REPO = "bench/followed";
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private static final int PARALLELISM = ImageResolver.DEFAULT_PARALLELISM;

    public static void main(String[] args) throws Exception {
        int rounds = intArg(args, "--rounds", 7);
        Path dir = Files.createTempDirectory("gitops-registry-bench-");
        String loadBefore = load();
        System.out.printf(Locale.ROOT, "update strategies against docker-registry on 127.0.0.1; JVM %s, %d CPUs, %d rounds,"
                        + " parallelism %d%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                rounds, PARALLELISM);
        try (LocalRegistry registry = LocalRegistry.builder(dir.resolve("registry")).start()) {
            long setup = System.nanoTime();
            String newestDistinct = pushBuilds(registry, DISTINCT_REPO, 200, 1);
            String newestAliased = pushBuilds(registry, ALIASED_REPO, 100, 2);
            registry.push(OciImage.index(List.of(OciImage.single(EPOCH, "linux/amd64"),
                    OciImage.single(EPOCH, "linux/arm64/v8"))), FOLLOWED_REPO, "latest");
            pushSemverTags(registry);
            System.out.printf(Locale.ROOT, "set-up: %d images pushed with skopeo, %d more tags over the API, %.1f s%n%n",
                    200 + 100 + 1 + 1, 100 + 999, (System.nanoTime() - setup) / 1e9);

            List<Scenario> scenarios = List.of(
                    new Scenario("semver ^1.4, 1,000 tags", resolve(registry, SEMVER_REPO, UpdateStrategy.SEMVER, "^1.4")),
                    new Scenario("newest-build, 200 tags of 200 builds", resolve(registry, DISTINCT_REPO, UpdateStrategy.NEWEST_BUILD, null)),
                    new Scenario("GET-everything client, same tags", getEverything(registry, DISTINCT_REPO)),
                    new Scenario("newest-build, 200 tags of 100 builds", resolve(registry, ALIASED_REPO, UpdateStrategy.NEWEST_BUILD, null)),
                    new Scenario("GET-everything client, same tags", getEverything(registry, ALIASED_REPO)),
                    new Scenario("digest of latest", resolve(registry, FOLLOWED_REPO + ":latest", UpdateStrategy.DIGEST, null)));

            for (int round = -1; round < rounds; round++) { // round -1 warms the JIT, the registry and the page cache
                for (Scenario scenario : scenarios) {
                    scenario.run(round >= 0);
                }
            }
            System.out.println(row("run", "chosen", "wall median", "min", "max", "ping", "tags", "HEAD manifest",
                    "GET manifest", "GET blob", "total"));
            System.out.println(row("---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"));
            scenarios.forEach(scenario -> System.out.println(scenario.row()));
            System.out.printf(Locale.ROOT, "%nexpected: semver 1.24.9; newest-build %s and %s; load average %s -> %s%n",
                    newestDistinct, newestAliased, loadBefore, load());
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A timed run's outcome: what it chose and the requests it sent. */
    private record Outcome(String chosen, Map<RequestKind, Long> requests) {}

    private static final class Scenario {
        private final String name;
        private final Supplier<Outcome> run;
        private final List<Double> millis = new ArrayList<>();
        private Outcome last;

        Scenario(String name, Supplier<Outcome> run) {
            this.name = name;
            this.run = run;
        }

        void run(boolean timed) {
            long start = System.nanoTime();
            Outcome outcome = run.get();
            long elapsed = System.nanoTime() - start;
            if (last != null && !last.equals(outcome)) {
                throw new IllegalStateException("runs differ: " + last + " then " + outcome);
            }
            last = outcome;
            if (timed) {
                millis.add(ms(elapsed));
            }
        }

        String row() {
            List<Double> sorted = millis.stream().sorted().toList();
            Map<RequestKind, Long> r = last.requests();
            long total = r.values().stream().mapToLong(Long::longValue).sum();
            return RegistryBench.row(name, last.chosen(), String.format(Locale.ROOT, "%.0f ms", sorted.get(sorted.size() / 2)),
                    String.format(Locale.ROOT, "%.0f ms", sorted.get(0)), String.format(Locale.ROOT, "%.0f ms", sorted.get(sorted.size() - 1)),
                    String.valueOf(r.get(RequestKind.PING)), String.valueOf(r.get(RequestKind.TAGS)),
                    String.valueOf(r.get(RequestKind.MANIFEST_HEAD)), String.valueOf(r.get(RequestKind.MANIFEST_GET)),
                    String.valueOf(r.get(RequestKind.BLOB_GET)), String.valueOf(total));
        }
    }

    private static Supplier<Outcome> resolve(LocalRegistry registry, String image, UpdateStrategy strategy, String constraint) {
        return () -> {
            RegistryClient client = RegistryClient.builder().insecureRegistries(List.of(registry.address()))
                    .maxAttempts(1).build();
            ResolveRequest request = ResolveRequest.of(ImageReference.parse(registry.image(image)), strategy);
            if (constraint != null) {
                request = request.withConstraint(VersionConstraint.parse(constraint));
            }
            Resolution resolution = new ImageResolver(client, PARALLELISM).resolve(request);
            if (!(resolution instanceof Resolution.Chosen chosen)) {
                throw new IllegalStateException(resolution.reason());
            }
            String shown = chosen.digest() == null ? chosen.tag() : chosen.tag() + "@" + chosen.digest().substring(0, 19) + "...";
            return new Outcome(shown, client.requestCounts());
        };
    }

    private static Supplier<Outcome> getEverything(LocalRegistry registry, String repository) {
        return () -> new GetEverythingClient(URI.create("http://" + registry.address() + "/"), repository).newestBuild();
    }

    /**
     * {@code builds} images of {@code repository}, half single-platform and half two-platform indexes, each pushed by
     * skopeo as {@code bNNN} and, with {@code tagsPerBuild} 2, also tagged {@code sha-NNNNNNN}; the build dates are a
     * permutation of days, so neither tag order is time order. Returns the tag newest-build should choose.
     */
    private static String pushBuilds(LocalRegistry registry, String repository, int builds, int tagsPerBuild)
            throws IOException, InterruptedException {
        String newest = null;
        for (int i = 0; i < builds; i++) {
            int day = (i * 37) % builds; // 37 is prime to 100 and 200: a permutation
            Instant created = EPOCH.plus(Duration.ofDays(day));
            OciImage image = i % 2 == 0
                    ? OciImage.single(created, "linux/amd64")
                    : OciImage.index(List.of(OciImage.single(created, "linux/amd64"),
                            OciImage.single(created.plus(Duration.ofHours(1)), "linux/arm64/v8")));
            String tag = String.format(Locale.ROOT, "b%03d", i);
            registry.push(image, repository, tag);
            if (tagsPerBuild == 2) {
                String commit = String.format(Locale.ROOT, "sha-%07x", 0x5eed000 + i * 7919);
                registry.tag(repository, tag, List.of(commit));
                tag = commit; // a tie with its build tag, won by the tag last in lexical order
            }
            if (day == builds - 1) {
                newest = tag;
            }
        }
        return newest;
    }

    /** 1,000 tags of one image: 901 releases 0.0.0 to 3.24.9, 50 release candidates, 49 commit tags. */
    private static void pushSemverTags(LocalRegistry registry) throws IOException, InterruptedException {
        registry.push(OciImage.single(EPOCH, "linux/amd64"), SEMVER_REPO, "0.0.0");
        List<String> tags = new ArrayList<>();
        for (int i = 1; i < 1000; i++) {
            String version = (i / 250) + "." + (i / 10 % 25) + "." + (i % 10);
            tags.add(switch (i % 20) {
                case 0 -> String.format(Locale.ROOT, "sha-%07x", 0xc0ffee0 + i * 7919);
                case 1 -> version + "-rc.1";
                default -> version;
            });
        }
        registry.tag(SEMVER_REPO, "0.0.0", tags);
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * The comparison client: newest-build the way Argo CD Image Updater's registry scanner reads a registry with an
     * empty cache. Per tag, GET its manifest; for an index, GET the manifest of every entry for the wanted platform
     * (linux/amd64) and its configuration; for an image, GET its configuration. Nothing is shared between tags, so
     * a build tagged twice is read twice. Anonymous, plain HTTP; same parallelism as the resolver.
     */
    private static final class GetEverythingClient {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final String ACCEPT = String.join(", ", OciImage.OCI_INDEX, OciImage.OCI_MANIFEST,
                "application/vnd.docker.distribution.manifest.list.v2+json",
                "application/vnd.docker.distribution.manifest.v2+json");

        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final URI base;
        private final String repository;
        private final AtomicLongArray counts = new AtomicLongArray(RequestKind.values().length);

        GetEverythingClient(URI base, String repository) {
            this.base = base;
            this.repository = repository;
        }

        Outcome newestBuild() {
            get(RequestKind.PING, "/v2/", null);
            JsonNode list = get(RequestKind.TAGS, "/v2/" + repository + "/tags/list", null);
            List<String> tags = new ArrayList<>();
            list.path("tags").forEach(t -> tags.add(t.asText()));
            ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM, BenchHarness.named("get-everything"));
            try {
                Map<String, Future<Instant>> created = new LinkedHashMap<>();
                for (String tag : tags) {
                    created.put(tag, pool.submit(() -> created(tag)));
                }
                String best = null;
                Instant bestTime = Instant.MIN;
                for (Map.Entry<String, Future<Instant>> entry : created.entrySet()) {
                    Instant time = entry.getValue().get();
                    // Image Updater's tie-break: among equal times, the tag last in lexical order
                    if (time.isAfter(bestTime) || time.equals(bestTime) && entry.getKey().compareTo(best) > 0) {
                        best = entry.getKey();
                        bestTime = time;
                    }
                }
                Map<RequestKind, Long> requests = new EnumMap<>(RequestKind.class);
                for (RequestKind kind : RequestKind.values()) {
                    requests.put(kind, counts.get(kind.ordinal()));
                }
                return new Outcome(best, requests);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                pool.shutdownNow();
            }
        }

        private Instant created(String tag) {
            JsonNode manifest = get(RequestKind.MANIFEST_GET, "/v2/" + repository + "/manifests/" + tag, ACCEPT);
            if (!manifest.has("manifests")) {
                return configCreated(manifest);
            }
            Instant newest = Instant.MIN;
            for (JsonNode entry : manifest.get("manifests")) {
                JsonNode platform = entry.path("platform");
                if ("linux".equals(platform.path("os").asText()) && "amd64".equals(platform.path("architecture").asText())) {
                    JsonNode image = get(RequestKind.MANIFEST_GET, "/v2/" + repository + "/manifests/"
                            + entry.path("digest").asText(), ACCEPT);
                    Instant time = configCreated(image);
                    newest = time.isAfter(newest) ? time : newest;
                }
            }
            return newest;
        }

        private Instant configCreated(JsonNode manifest) {
            JsonNode config = get(RequestKind.BLOB_GET, "/v2/" + repository + "/blobs/"
                    + manifest.path("config").path("digest").asText(), null);
            return OffsetDateTime.parse(config.path("created").asText()).toInstant();
        }

        private JsonNode get(RequestKind kind, String path, String accept) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
            if (accept != null) {
                request.header("Accept", accept);
            }
            counts.incrementAndGet(kind.ordinal());
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
                }
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException("GET " + path, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
