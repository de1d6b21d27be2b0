package io.jenkins.plugins.gitops.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client of the OCI Distribution API for choosing versions: tag lists, manifests and image configurations, read
 * the way registries really serve them.
 *
 * <ul>
 *   <li>Authentication: {@code GET /v2/} once per registry yields the {@code WWW-Authenticate} challenge; Basic sends
 *       the credentials, Bearer gets a token for {@code repository:<name>:pull} from the challenge's realm (with the
 *       credentials as Basic, or anonymously), keeps it until it expires, and asks for the scope a later
 *       {@code insufficient_scope} challenge names, once.</li>
 *   <li>Redirects (to blob storage) are followed by hand: credentials go only to the registry's own origin.</li>
 *   <li>429 and 5xx answers are retried a bounded number of times, waiting as {@code Retry-After} asks (within
 *       {@code maxRetryWait}) or exponentially; a registry asking for a longer wait fails at once.</li>
 *   <li>HTTPS always; a registry named insecure is tried with HTTPS without certificate verification, then plain
 *       HTTP, as Docker's {@code --insecure-registry} does.</li>
 *   <li>Every answer is cached for the life of the client (one run): a manifest or configuration is fetched once
 *       however many tags share it.</li>
 * </ul>
 * Thread-safe; the resolver calls it from a bounded number of threads.
 */
public final class RegistryClient {

    private static final int MAX_REDIRECTS = 5;
    private static final int PAGE_SIZE = 1000;
    private static final int MAX_PAGES = 10_000;
    private static final Duration TOKEN_DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final Duration TOKEN_MARGIN = Duration.ofSeconds(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*?rel=\"?next\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final HttpClient http;
    private final HttpClient insecureHttp;
    private final Set<String> insecureRegistries;
    private final Function<String, Optional<RegistryCredentials>> credentials;
    private final int maxAttempts;
    private final Duration maxRetryWait;
    private final Duration requestTimeout;
    private final Sleeper sleeper;
    private final Clock clock;

    private final Map<String, CompletableFuture<Endpoint>> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<List<String>>> tagLists = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<String>> tagDigests = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Manifest>> manifests = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ImageConfig>> configs = new ConcurrentHashMap<>();
    private final AtomicLongArray counts = new AtomicLongArray(RequestKind.values().length);

    private RegistryClient(Builder b) {
        this.http = b.http != null ? b.http : defaultClient(null);
        this.insecureHttp = defaultClient(trustingEveryCertificate());
        this.insecureRegistries = Set.copyOf(b.insecureRegistries);
        this.credentials = b.credentials;
        this.maxAttempts = b.maxAttempts;
        this.maxRetryWait = b.maxRetryWait;
        this.requestTimeout = b.requestTimeout;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the registry client follows redirects itself (credentials stay on the"
                    + " registry's host): give it an HttpClient built with Redirect.NEVER");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How the client is set up; every setting has a default. */
    public static final class Builder {
        private HttpClient http;
        private final Set<String> insecureRegistries = new HashSet<>();
        private Function<String, Optional<RegistryCredentials>> credentials = registry -> Optional.empty();
        private int maxAttempts = 4;
        private Duration maxRetryWait = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The client for HTTPS registries (the plugin's carries Jenkins' proxy); it must not follow redirects. */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client);
            return this;
        }

        /** Registries ({@code host[:port]} as written in image references) reached without verified TLS. */
        public Builder insecureRegistries(Iterable<String> registries) {
            registries.forEach(r -> insecureRegistries.add(r.toLowerCase(Locale.ROOT)));
            return this;
        }

        /** The credentials of a registry ({@code host[:port]} as written, {@code docker.io} for Docker Hub). */
        public Builder credentials(Function<String, Optional<RegistryCredentials>> lookup) {
            this.credentials = Objects.requireNonNull(lookup);
            return this;
        }

        /** Attempts per request when the registry answers 429 or 5xx, or the connection fails (default 4). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** The longest wait between attempts; a longer {@code Retry-After} fails at once (default 30 s). */
        public Builder maxRetryWait(Duration wait) {
            this.maxRetryWait = Objects.requireNonNull(wait);
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }

    /** How many requests of each kind this client has sent, retries and redirects included. */
    public Map<RequestKind, Long> requestCounts() {
        Map<RequestKind, Long> result = new EnumMap<>(RequestKind.class);
        for (RequestKind kind : RequestKind.values()) {
            result.put(kind, counts.get(kind.ordinal()));
        }
        return result;
    }

    /** Every tag of {@code repository}, in the registry's order, following {@code Link} pagination. */
    public List<String> tags(Repository repository) {
        return cached(tagLists, key(repository, "tags"), () -> {
            Endpoint endpoint = endpoint(repository);
            Set<String> tags = new LinkedHashSet<>();
            Set<URI> seen = new HashSet<>();
            URI page = endpoint.base().resolve("/v2/" + repository.name() + "/tags/list?n=" + PAGE_SIZE);
            while (page != null) {
                if (!seen.add(page) || seen.size() > MAX_PAGES) {
                    throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                            + " returned a tag list of " + repository + " whose pages loop (" + page + ")");
                }
                HttpResponse<byte[]> response = exchange(endpoint, repository, RequestKind.TAGS, "GET", page, null);
                if (response.statusCode() != 200) {
                    throw failure(repository, "the tag list of " + repository, response);
                }
                JsonNode list = json(repository, "tag list", response.body());
                list.path("tags").forEach(tag -> tags.add(tag.asText()));
                page = response.headers().firstValue("Link").map(NEXT_LINK::matcher)
                        .filter(Matcher::find).map(m -> response.uri().resolve(m.group(1))).orElse(null);
            }
            return List.copyOf(tags);
        });
    }

    /**
     * The digest {@code tag} points to (of the index, for a multi-platform image): {@code HEAD} on the manifest, or
     * {@code GET} and hashing when the registry sends no {@code Docker-Content-Digest}.
     */
    public String digest(Repository repository, String tag) {
        return cached(tagDigests, key(repository, tag), () -> {
            CompletableFuture<Manifest> known = manifests.get(key(repository, tag));
            if (known != null && known.isDone() && !known.isCompletedExceptionally()) {
                return known.join().digest();
            }
            Endpoint endpoint = endpoint(repository);
            HttpResponse<byte[]> response = exchange(endpoint, repository, RequestKind.MANIFEST_HEAD, "HEAD",
                    manifestUri(endpoint, repository, tag), Manifest.ACCEPTED);
            if (response.statusCode() != 200) {
                throw failure(repository, "tag " + tag + " of " + repository, response);
            }
            Optional<String> digest = response.headers().firstValue("Docker-Content-Digest")
                    .map(String::strip).filter(d -> SHA256.matcher(d).matches());
            return digest.orElseGet(() -> manifest(repository, tag).digest());
        });
    }

    /** The manifest of {@code reference} (a tag or a digest); one fetched by digest is checked against it. */
    public Manifest manifest(Repository repository, String reference) {
        return cached(manifests, key(repository, reference), () -> {
            Endpoint endpoint = endpoint(repository);
            HttpResponse<byte[]> response = exchange(endpoint, repository, RequestKind.MANIFEST_GET, "GET",
                    manifestUri(endpoint, repository, reference), Manifest.ACCEPTED);
            String what = (reference.contains(":") ? "manifest " : "tag ") + reference + " of " + repository;
            if (response.statusCode() != 200) {
                throw failure(repository, what, response);
            }
            String digest = sha256(response.body());
            if (reference.startsWith("sha256:") && !reference.equals(digest)) {
                throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                        + " served " + what + " with content of digest " + digest);
            }
            Manifest manifest = parseManifest(repository, what, digest, response.body());
            manifests.putIfAbsent(key(repository, digest), CompletableFuture.completedFuture(manifest));
            return manifest;
        });
    }

    /** The configuration blob {@code digest} of an image of {@code repository}. */
    public ImageConfig config(Repository repository, String digest) {
        return cached(configs, key(repository, digest), () -> {
            Endpoint endpoint = endpoint(repository);
            HttpResponse<byte[]> response = exchange(endpoint, repository, RequestKind.BLOB_GET, "GET",
                    endpoint.base().resolve("/v2/" + repository.name() + "/blobs/" + digest), null);
            String what = "image configuration " + digest + " of " + repository;
            if (response.statusCode() != 200) {
                throw failure(repository, what, response);
            }
            if (digest.startsWith("sha256:") && !digest.equals(sha256(response.body()))) {
                throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                        + " served " + what + " with other content (digest " + sha256(response.body()) + ")");
            }
            JsonNode config = json(repository, what, response.body());
            return new ImageConfig(instant(config.path("created").asText(null)), text(config, "os"),
                    text(config, "architecture"), text(config, "variant"));
        });
    }

    // --- endpoints and authentication ---

    /** Where a registry's API is served, over which client, and what it challenges with ({@code null}: nothing). */
    private record Endpoint(URI base, HttpClient http, Challenge challenge, boolean insecure) {}

    /** A Bearer token and when it expires. */
    private record Token(String value, Instant expires) {}

    private Endpoint endpoint(Repository repository) {
        // Once per registry, however many threads ask at the same time.
        return cached(endpoints, repository.host(), () -> ping(repository));
    }

    private Endpoint ping(Repository repository) {
        boolean insecure = insecureRegistries.contains(repository.registry()) || insecureRegistries.contains(repository.host());
        List<String> schemes = insecure ? List.of("https", "http") : List.of("https");
        RegistryException last = null;
        for (String scheme : schemes) {
            URI base = URI.create(scheme + "://" + repository.host() + "/");
            HttpClient client = insecure ? insecureHttp : http;
            HttpResponse<byte[]> response;
            try {
                // An insecure registry's HTTPS is tried once: a plain HTTP server fails the handshake, HTTP is next.
                boolean fallbackFollows = scheme.equals("https") && insecure;
                response = sendRetrying(client, RequestKind.PING, request("GET", base.resolve("/v2/"), null, null),
                        repository, fallbackFollows ? 1 : maxAttempts);
            } catch (RegistryException e) {
                last = e;
                continue; // an insecure registry: plain HTTP next
            }
            return switch (response.statusCode()) {
                case 200 -> new Endpoint(base, client, null, insecure);
                case 401 -> new Endpoint(base, client, response.headers().firstValue("WWW-Authenticate")
                        .flatMap(Challenge::parse).orElseThrow(() -> new RegistryException(RegistryException.Kind.PROTOCOL,
                                "registry " + repository.registry() + " answered 401 to GET /v2/ without a Basic or"
                                        + " Bearer challenge")), insecure);
                default -> throw failure(repository, "the API version check (GET /v2/)", response);
            };
        }
        throw Objects.requireNonNull(last);
    }

    private String authorization(Endpoint endpoint, Repository repository, String scope) {
        Challenge challenge = endpoint.challenge();
        if (challenge == null) {
            return null;
        }
        Optional<RegistryCredentials> given = credentials.apply(repository.registry());
        if (!challenge.bearer()) {
            return given.map(RegistryClient::basic).orElse(null);
        }
        String key = endpoint.base() + " " + scope;
        Token token = tokens.get(key);
        if (token == null || !clock.instant().isBefore(token.expires().minus(TOKEN_MARGIN))) {
            token = fetchToken(endpoint, repository, challenge, scope, given);
            tokens.put(key, token);
        }
        return "Bearer " + token.value();
    }

    private Token fetchToken(Endpoint endpoint, Repository repository, Challenge challenge, String scope,
                             Optional<RegistryCredentials> given) {
        String realm = challenge.parameter("realm");
        URI realmUri;
        try {
            realmUri = URI.create(realm == null ? "" : realm);
        } catch (IllegalArgumentException e) {
            realmUri = URI.create("");
        }
        if (realmUri.getScheme() == null || realmUri.getHost() == null) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                    + " sent a Bearer challenge without a usable realm (" + realm + ")");
        }
        if (!"https".equalsIgnoreCase(realmUri.getScheme()) && !(endpoint.insecure() && "http".equalsIgnoreCase(realmUri.getScheme()))) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                    + " names a token service that is not HTTPS (" + realm + "); credentials are not sent there");
        }
        StringBuilder query = new StringBuilder(realmUri.getRawQuery() == null ? "" : realmUri.getRawQuery());
        if (challenge.parameter("service") != null) {
            query.append(query.length() == 0 ? "" : "&").append("service=").append(encode(challenge.parameter("service")));
        }
        query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
        URI uri = URI.create(realm.replaceFirst("\\?.*$", "") + "?" + query);
        HttpResponse<byte[]> response = sendRetrying(endpoint.insecure() ? insecureHttp : http, RequestKind.TOKEN,
                request("GET", uri, null, given.map(RegistryClient::basic).orElse(null)), repository);
        if (response.statusCode() != 200) {
            throw failure(repository, "a token for " + scope + " from " + realmUri.getHost(), response, given.isPresent());
        }
        JsonNode answer = json(repository, "token answer", response.body());
        String value = answer.hasNonNull("token") ? answer.get("token").asText() : answer.path("access_token").asText("");
        if (value.isEmpty()) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "the token service of " + repository.registry()
                    + " answered without a token");
        }
        long seconds = answer.path("expires_in").asLong(0);
        Instant issued = Optional.ofNullable(instant(answer.path("issued_at").asText(null))).orElse(clock.instant());
        Token token = new Token(value, issued.plus(seconds > 0 ? Duration.ofSeconds(seconds) : TOKEN_DEFAULT_LIFETIME));
        Redaction.register(token, value);
        return token;
    }

    // --- requests ---

    /**
     * Sends an API request for {@code repository}: with its credentials on the registry's origin, none elsewhere,
     * following redirects and a challenge asking for a new token or another scope.
     */
    private HttpResponse<byte[]> exchange(Endpoint endpoint, Repository repository, RequestKind kind, String method,
                                          URI uri, List<String> accept) {
        String scope = "repository:" + repository.name() + ":pull";
        boolean challenged = false;
        URI target = uri;
        String verb = method;
        for (int redirects = 0; ; ) {
            boolean home = sameOrigin(target, endpoint.base());
            String authorization = home ? authorization(endpoint, repository, scope) : null;
            HttpClient client = home ? endpoint.http() : http;
            HttpResponse<byte[]> response = sendRetrying(client, kind, request(verb, target, accept, authorization), repository);
            int status = response.statusCode();
            if (status == 401 && home && !challenged && endpoint.challenge() != null && endpoint.challenge().bearer()) {
                // The token expired, or the registry wants another scope: ask once more, as it says.
                challenged = true;
                Optional<Challenge> again = response.headers().firstValue("WWW-Authenticate").flatMap(Challenge::parse);
                tokens.remove(endpoint.base() + " " + scope);
                scope = again.map(c -> c.parameter("scope")).filter(s -> !s.isBlank()).orElse(scope);
                tokens.remove(endpoint.base() + " " + scope);
                continue;
            }
            if (status >= 300 && status < 400 && status != 304 && response.headers().firstValue("Location").isPresent()) {
                if (++redirects > MAX_REDIRECTS) {
                    throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                            + " redirected more than " + MAX_REDIRECTS + " times for " + uri.getPath());
                }
                target = target.resolve(response.headers().firstValue("Location").orElseThrow());
                if (!"https".equalsIgnoreCase(target.getScheme()) && !endpoint.insecure()) {
                    throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                            + " redirected to a URL that is not HTTPS: " + target.getScheme() + "://" + target.getHost());
                }
                verb = status == 303 ? "GET" : verb;
                continue;
            }
            return response;
        }
    }

    private HttpRequest request(String method, URI uri, List<String> accept, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            builder.header("Accept", String.join(", ", accept));
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    /** Sends {@code request}, retrying 429, 5xx and failed connections within the attempt and wait bounds. */
    private HttpResponse<byte[]> sendRetrying(HttpClient client, RequestKind kind, HttpRequest request, Repository repository) {
        return sendRetrying(client, kind, request, repository, maxAttempts);
    }

    private HttpResponse<byte[]> sendRetrying(HttpClient client, RequestKind kind, HttpRequest request, Repository repository,
                                              int attempts) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                counts.incrementAndGet(kind.ordinal());
                response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (SSLException e) {
                throw new RegistryException(RegistryException.Kind.TLS, "TLS with registry " + repository.registry()
                        + " failed (" + e.getMessage() + "): if its certificate comes from a private CA, add that CA to"
                        + " the Java trust store; a test registry without a trusted certificate must be named as an"
                        + " insecure registry", e);
            } catch (IOException e) {
                if (attempt >= attempts) {
                    throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot reach registry "
                            + repository.registry() + " (" + request.uri().getScheme() + "://" + request.uri().getAuthority()
                            + "): " + e + " after " + attempt + " attempt(s)", e);
                }
                pause(backoff(attempt), repository);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "interrupted while waiting for registry "
                        + repository.registry(), e);
            }
            int status = response.statusCode();
            if ((status == 429 || status >= 500) && attempt < attempts) {
                Duration wait = retryAfter(response).orElse(backoff(attempt));
                if (wait.compareTo(maxRetryWait) > 0) {
                    return response; // the registry asks for more patience than the bound allows: fail now
                }
                pause(wait, repository);
                continue;
            }
            return response;
        }
    }

    private Duration backoff(int attempt) {
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(maxRetryWait) > 0 ? maxRetryWait : wait;
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::strip).map(value -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
            } catch (NumberFormatException notSeconds) {
                try {
                    Duration until = Duration.between(clock.instant(),
                            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                    return until.isNegative() ? Duration.ZERO : until;
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        });
    }

    private void pause(Duration wait, Repository repository) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "interrupted while waiting to retry registry "
                    + repository.registry(), e);
        }
    }

    // --- answers ---

    private RegistryException failure(Repository repository, String what, HttpResponse<byte[]> response) {
        return failure(repository, what, response, credentials.apply(repository.registry()).isPresent());
    }

    private RegistryException failure(Repository repository, String what, HttpResponse<byte[]> response, boolean withCredentials) {
        int status = response.statusCode();
        String detail = errorDetail(response);
        String registry = repository.registry();
        boolean insufficientScope = response.headers().firstValue("WWW-Authenticate").flatMap(Challenge::parse)
                .map(c -> "insufficient_scope".equals(c.parameter("error"))).orElse(false);
        String answer = " (" + status + (detail.isEmpty() ? "" : " " + detail) + (insufficientScope ? ", insufficient_scope" : "") + ")";
        if (status == 401 && insufficientScope) {
            return new RegistryException(RegistryException.Kind.FORBIDDEN, "registry " + registry + " refused " + what
                    + answer + ": the credentials lack the scope repository:" + repository.name() + ":pull; grant them"
                    + " pull access to " + repository.name());
        }
        return switch (status) {
            case 401 -> new RegistryException(RegistryException.Kind.UNAUTHORIZED, withCredentials
                    ? "registry " + registry + " refused the credentials for " + what + answer
                            + ": check the registry user name and password (or token)"
                    : "registry " + registry + " needs credentials to read " + what + answer
                            + ": give registry credentials for " + registry);
            case 403 -> new RegistryException(RegistryException.Kind.FORBIDDEN, "registry " + registry + " denied "
                    + what + answer + ": the credentials lack pull access (scope repository:" + repository.name()
                    + ":pull)");
            case 404 -> new RegistryException(RegistryException.Kind.NOT_FOUND, detail.contains("NAME_UNKNOWN")
                    ? "repository " + repository.name() + " not found on registry " + registry + answer
                            + ": check the image name"
                    : what + " not found on registry " + registry + answer + ": check the image name and tag");
            default -> status == 429 || status >= 500
                    ? new RegistryException(RegistryException.Kind.UNAVAILABLE, "registry " + registry + " answered "
                            + status + " to the request for " + what + " after " + maxAttempts + " attempt(s)"
                            + response.headers().firstValue("Retry-After").map(s -> " (Retry-After: " + s + ")").orElse("")
                            + (detail.isEmpty() ? "" : ": " + detail) + "; try again later")
                    : new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + registry
                            + " answered " + status + " to the request for " + what + (detail.isEmpty() ? "" : ": " + detail));
        };
    }

    /** {@code CODE: message} of the first error of a Distribution error body, else a short prefix of the body. */
    private static String errorDetail(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode error = JSON.readTree(body).path("errors").path(0);
            if (error.has("code")) {
                return error.path("code").asText() + ": " + error.path("message").asText("");
            }
        } catch (IOException notJson) {
            // fall through to the text
        }
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static Manifest parseManifest(Repository repository, String what, String digest, byte[] body) {
        JsonNode node = json(repository, what, body);
        if (node.path("schemaVersion").asInt() == 1) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                    + " served " + what + " as a schema 1 manifest, which is not supported; push it again with a"
                    + " current client");
        }
        if (node.has("manifests")) {
            List<Manifest.Entry> entries = new ArrayList<>();
            for (JsonNode entry : node.get("manifests")) {
                JsonNode platform = entry.path("platform");
                entries.add(new Manifest.Entry(entry.path("digest").asText(), text(platform, "os"),
                        text(platform, "architecture"), text(platform, "variant")));
            }
            return new Manifest.Index(digest, entries);
        }
        if (node.path("config").has("digest")) {
            return new Manifest.Image(digest, node.path("config").path("digest").asText());
        }
        throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry() + " served "
                + what + " as neither an image manifest nor an index");
    }

    private static JsonNode json(Repository repository, String what, byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "registry " + repository.registry()
                    + " answered the request for the " + what + " with something that is not JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    /** An RFC 3339 time ({@code created} has nanoseconds and any offset), or {@code null}. */
    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The cached answer for {@code key}, fetched once however many threads ask at the same time; a failure is not
     * cached (the threads waiting for it get it, a later call asks again).
     */
    private static <V> V cached(Map<String, CompletableFuture<V>> cache, String key, java.util.function.Supplier<V> fetch) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> existing = cache.putIfAbsent(key, mine);
        if (existing == null) {
            try {
                V value = fetch.get();
                mine.complete(value);
                return value;
            } catch (RuntimeException e) {
                cache.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return existing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RegistryException failure) {
                throw new RegistryException(failure.kind(), failure.getMessage(), failure);
            }
            throw e;
        }
    }

    private static String key(Repository repository, String reference) {
        return repository.host() + "/" + repository.name() + "@" + reference;
    }

    private static URI manifestUri(Endpoint endpoint, Repository repository, String reference) {
        return endpoint.base().resolve("/v2/" + repository.name() + "/manifests/" + reference);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String basic(RegistryCredentials c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static HttpClient defaultClient(SSLContext ssl) {
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        return builder.build();
    }

    /** For registries the caller names insecure only: TLS that accepts any certificate and host name. */
    private static SSLContext trustingEveryCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new AnyCertificate()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for insecure registries", e);
        }
    }

    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
