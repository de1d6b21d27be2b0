package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.registry.Platform;
import io.jenkins.plugins.gitops.core.registry.RegistryClient;
import io.jenkins.plugins.gitops.core.registry.RegistryCredentials;
import io.jenkins.plugins.gitops.core.registry.RegistryException;
import io.jenkins.plugins.gitops.core.strategy.Candidate;
import io.jenkins.plugins.gitops.core.strategy.ImageResolver;
import io.jenkins.plugins.gitops.core.strategy.Resolution;
import io.jenkins.plugins.gitops.core.strategy.ResolveRequest;
import io.jenkins.plugins.gitops.core.strategy.TagFilter;
import io.jenkins.plugins.gitops.core.strategy.UpdateStrategy;
import io.jenkins.plugins.gitops.core.strategy.VersionConstraint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The update strategy options shared by {@code gitops resolve}, {@code set-image} and {@code update}: which version to
 * choose from the image's registry, and how to reach it. Registry credentials come from
 * {@code --registry-username} with {@code --registry-password-file}, else {@code $GITOPS_REGISTRY_USERNAME} and
 * {@code $GITOPS_REGISTRY_PASSWORD}, else the {@code auths} of Docker's {@code config.json}.
 */
final class StrategyOptions {

    static final String ENV_USERNAME = "GITOPS_REGISTRY_USERNAME";
    static final String ENV_PASSWORD = "GITOPS_REGISTRY_PASSWORD";

    private final Environment environment;
    private final java.util.Map<String, Optional<RegistryCredentials>> credentials = new java.util.concurrent.ConcurrentHashMap<>();

    @Option(names = "--strategy", paramLabel = "STRATEGY",
            description = "Choose the version from the image's registry: semver, newest-build, digest or alphabetical"
                    + " (latest and name are accepted as the older names of newest-build and alphabetical).")
    String strategy;

    @Option(names = "--constraint", paramLabel = "RANGE",
            description = "semver: the versions allowed, e.g. '^1.4', '~2.0', '>=1.2 <2'; pre-releases only when it names one.")
    String constraint;

    @Option(names = "--allow-tags", paramLabel = "regexp:PATTERN",
            description = "Only tags matching this regular expression ('regexp:^v1\\.', or 'any').")
    String allowTags;

    @Option(names = "--ignore-tags", paramLabel = "GLOB", description = "Leave out tags matching this shell glob; repeatable.")
    List<String> ignoreTags = new ArrayList<>();

    @Option(names = "--pin-digest", description = "Also write the chosen tag's digest (tag@sha256:...).")
    boolean pinDigest;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "newest-build: judge multi-platform images on this platform; repeatable (default: linux/amd64).")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Reach this registry with HTTPS without certificate verification, then plain HTTP; repeatable.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--registry-username", paramLabel = "USER",
            description = "Registry user name (default: $" + ENV_USERNAME + ", else Docker's config.json).")
    String username;

    @Option(names = "--registry-password-file", paramLabel = "FILE",
            description = "File holding the registry password or token (default: $" + ENV_PASSWORD + ").")
    Path passwordFile;

    StrategyOptions(Environment environment) {
        this.environment = environment;
    }

    /** Whether a strategy was asked for; the other options are refused without one. */
    boolean enabled() {
        if (strategy == null && (constraint != null || allowTags != null || !ignoreTags.isEmpty() || pinDigest
                || !platforms.isEmpty())) {
            throw new IllegalArgumentException("--strategy: needed by --constraint, --allow-tags, --ignore-tags,"
                    + " --pin-digest and --platform");
        }
        return strategy != null;
    }

    /**
     * Resolves {@code image}; for {@code digest}, {@code followTag} (or the image's tag) is the tag followed. An
     * {@link IllegalArgumentException} names the option at fault.
     */
    Resolution resolve(ImageReference image, String followTag) {
        UpdateStrategy chosen = argument("--strategy", () -> UpdateStrategy.parse(strategy));
        VersionConstraint range = argument("--constraint", () -> VersionConstraint.parse(constraint));
        argument("--allow-tags", () -> TagFilter.of(allowTags, List.of()));
        TagFilter filter = argument("--ignore-tags", () -> TagFilter.of(allowTags, ignoreTags));
        List<Platform> wanted = argument("--platform", () -> platforms.stream().map(Platform::parse).toList());
        if (chosen == UpdateStrategy.DIGEST && followTag == null && image.tag() == null) {
            throw new IllegalArgumentException("--strategy: digest follows one tag: name it in the image (" + image.name()
                    + ":latest) or with --tag");
        }
        ResolveRequest request = argument("--constraint", () -> new ResolveRequest(image, chosen, range,
                filter, pinDigest, wanted, followTag));
        RegistryClient client = RegistryClient.builder().insecureRegistries(insecureRegistries)
                .credentials(this::credentials).build();
        return new ImageResolver(client).resolve(request);
    }

    /**
     * For {@code set-image} and {@code update}: resolves the edit's image and, when a version is chosen, makes it the
     * edit's {@code --tag} (and {@code --digest}). {@code --tag} names the tag {@code digest} follows; with another
     * strategy, and {@code --digest} with any, it is refused: the strategy chooses.
     */
    Resolution applyTo(ImageEditOptions edit) {
        UpdateStrategy chosen = argument("--strategy", () -> UpdateStrategy.parse(strategy));
        if (edit.digest != null) {
            throw new IllegalArgumentException("--digest: not with --strategy (the strategy chooses the version)");
        }
        if (edit.tag != null && chosen != UpdateStrategy.DIGEST) {
            throw new IllegalArgumentException("--tag: not with --strategy " + chosen + " (the strategy chooses the tag;"
                    + " --tag names the tag that --strategy digest follows)");
        }
        ImageReference image = argument("--image", () -> ImageReference.parse(edit.image));
        // the files hold the current version: the image is resolved without one
        Resolution resolution = resolve(image.withDigest(null).withTag(chosen == UpdateStrategy.DIGEST ? image.tag() : null),
                edit.tag);
        if (resolution instanceof Resolution.Chosen version) {
            edit.tag = version.tag();
            edit.digest = version.digest();
        }
        return resolution;
    }

    /** The failure of a registry request: 401 and 403 are authentication failures (6), the rest failures (1). */
    static Failure failure(RegistryException e) {
        boolean auth = e.kind() == RegistryException.Kind.UNAUTHORIZED || e.kind() == RegistryException.Kind.FORBIDDEN;
        return new Failure(auth ? ExitCode.AUTH_FAILED : ExitCode.FAILURE, "registry-" + Failure.kebab(e.kind().name()),
                e.getMessage());
    }

    /** The resolution as JSON fields: strategy, chosen reference, reason and candidates. */
    static ObjectNode json(Resolution resolution) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        if (resolution instanceof Resolution.Chosen chosen) {
            node.put("reference", chosen.reference().toString());
            node.put("tag", chosen.tag());
            node.put("digest", chosen.digest());
        } else {
            node.put("why", Failure.kebab(((Resolution.NoCandidate) resolution).why().name()));
        }
        node.put("reason", resolution.reason());
        ArrayNode candidates = node.putArray("candidates");
        for (Candidate candidate : resolution.candidates()) {
            ObjectNode c = candidates.addObject();
            c.put("tag", candidate.tag());
            c.put("verdict", Failure.kebab(candidate.verdict().name()));
            c.put("detail", candidate.detail());
        }
        return node;
    }

    /** Read once per registry and run: the client asks before every request. */
    private Optional<RegistryCredentials> credentials(String registry) {
        return credentials.computeIfAbsent(registry, this::readCredentials);
    }

    private Optional<RegistryCredentials> readCredentials(String registry) {
        Optional<String> user = Optional.ofNullable(username).or(() -> environment.get(ENV_USERNAME));
        Optional<String> password = passwordFile != null ? Optional.of(readPassword())
                : environment.get(ENV_PASSWORD).map(SecretInput::registered);
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException(user.isPresent()
                    ? "--registry-username: needs --registry-password-file (or $" + ENV_PASSWORD + ")"
                    : "--registry-password-file: needs --registry-username (or $" + ENV_USERNAME + ")");
        }
        if (user.isPresent()) {
            return Optional.of(new RegistryCredentials(user.get(), password.get()));
        }
        return dockerConfig(registry);
    }

    private String readPassword() {
        try {
            return SecretInput.registered(Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalArgumentException("--registry-password-file: cannot read " + passwordFile);
        }
    }

    /** The {@code auths} entry of Docker's {@code config.json} ($DOCKER_CONFIG, else ~/.docker) for {@code registry}. */
    private Optional<RegistryCredentials> dockerConfig(String registry) {
        Path file = environment.get("DOCKER_CONFIG").map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".docker")).resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // not the parser's message: it quotes the file's text, which holds secrets
            throw new IllegalArgumentException(file + ": not valid JSON (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it");
        }
        List<String> keys = registry.equals(ImageReference.DEFAULT_REGISTRY)
                ? List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io")
                : List.of(registry, "https://" + registry, "http://" + registry, "https://" + registry + "/v1/");
        for (String key : keys) {
            JsonNode entry = config.path("auths").path(key);
            if (entry.hasNonNull("auth")) {
                String pair = SecretInput.registered(new String(Base64.getDecoder().decode(entry.get("auth").asText().strip()),
                        StandardCharsets.UTF_8));
                int colon = pair.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(file + ": auths." + key + ".auth is not the Base64 of user:password");
                }
                return Optional.of(new RegistryCredentials(pair.substring(0, colon), SecretInput.registered(pair.substring(colon + 1))));
            }
            if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
                return Optional.of(new RegistryCredentials(entry.get("username").asText(),
                        SecretInput.registered(entry.get("password").asText())));
            }
        }
        for (String key : keys) {
            if (config.path("credHelpers").hasNonNull(key)) {
                throw new IllegalArgumentException(file + ": credHelpers names '" + config.path("credHelpers").get(key).asText()
                        + "' for " + registry + "; gitops does not run credential helpers: give --registry-username and"
                        + " --registry-password-file (or $" + ENV_USERNAME + " and $" + ENV_PASSWORD + ")");
            }
        }
        if (config.hasNonNull("credsStore")) {
            throw new IllegalArgumentException(file + ": credsStore '" + config.get("credsStore").asText()
                    + "' keeps the credentials of " + registry.toLowerCase(Locale.ROOT) + " outside the file; gitops does"
                    + " not run credential stores: give --registry-username and --registry-password-file (or $"
                    + ENV_USERNAME + " and $" + ENV_PASSWORD + ")");
        }
        return Optional.empty();
    }

    private static <R> R argument(String option, java.util.function.Supplier<R> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
