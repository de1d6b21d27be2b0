package io.jenkins.plugins.gitops.core.registry;

import static io.jenkins.plugins.gitops.core.registry.StubRegistry.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the real registry of the other tests does not do: specification pagination, rate limits, redirects, odd answers. */
class RegistryClientTest {

    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
            + "1111111111111111111111111111111111111111111111111111111111111111\",\"size\":2},\"layers\":[]}";

    private final StubRegistry stub = newStub();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    private static StubRegistry newStub() {
        try {
            return new StubRegistry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private RegistryClient client() {
        return RegistryClient.builder().insecureRegistries(List.of(stub.address())).sleeper(waits::add).build();
    }

    private Repository repository() {
        return Repository.of(ImageReference.parse(stub.address() + "/app"));
    }

    @Test
    void followsLinkPaginationWithNAndLastAsTheSpecificationDescribesIt() {
        List<String> all = IntStream.range(0, 250).mapToObj(i -> String.format("t%03d", i)).toList();
        stub.route("/v2/app/tags/list", exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getQuery());
            int n = Math.min(100, Integer.parseInt(query.getOrDefault("n", "100"))); // registries cap the page size
            int from = query.containsKey("last") ? all.indexOf(query.get("last")) + 1 : 0;
            List<String> page = all.subList(from, Math.min(all.size(), from + n));
            Map<String, String> headers = from + n < all.size()
                    ? Map.of("Link", "</v2/app/tags/list?n=" + n + "&last=" + page.get(page.size() - 1) + ">; rel=\"next\"")
                    : Map.of();
            send(exchange, 200, headers, "{\"name\":\"app\",\"tags\":[\"" + String.join("\",\"", page) + "\"]}");
        });
        RegistryClient client = client();

        assertThat(client.tags(repository())).isEqualTo(all);
        assertThat(client.requestCounts()).containsEntry(RequestKind.TAGS, 3L);
        assertThat(stub.requests()).extracting(StubRegistry.Request::query)
                .containsSubsequence("n=1000", "n=100&last=t099", "n=100&last=t199");
    }

    @Test
    void aLinkThatLoopsIsAProtocolError() {
        stub.route("/v2/app/tags/list", exchange -> send(exchange, 200,
                Map.of("Link", "</v2/app/tags/list?n=1000>; rel=\"next\""), "{\"tags\":[\"a\"]}"));

        assertThatThrownBy(() -> client().tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.PROTOCOL))
                .hasMessageContaining("whose pages loop");
    }

    @Test
    void rateLimitsAreRetriedAfterTheWaitTheRegistryAsksFor() {
        AtomicInteger calls = new AtomicInteger();
        stub.route("/v2/app/tags/list", exchange -> {
            if (calls.incrementAndGet() == 1) {
                send(exchange, 429, Map.of("Retry-After", "2"), "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
            } else {
                send(exchange, 200, Map.of(), "{\"tags\":[\"1.0\"]}");
            }
        });

        assertThat(client().tags(repository())).containsExactly("1.0");
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterBeyondTheBoundFailsAtOnce() {
        stub.route("/v2/app/tags/list", exchange -> send(exchange, 429, Map.of("Retry-After", "3600"), ""));

        assertThatThrownBy(() -> client().tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAVAILABLE))
                .hasMessageContaining("answered 429").hasMessageContaining("Retry-After: 3600").hasMessageContaining("try again later");
        assertThat(waits).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedWithGrowingWaitsUpToTheAttemptBound() {
        stub.route("/v2/app/tags/list", exchange -> send(exchange, 503, Map.of(), "upstream unavailable"));
        RegistryClient client = client();

        assertThatThrownBy(() -> client.tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAVAILABLE))
                .hasMessageContaining("answered 503").hasMessageContaining("after 4 attempt(s)");
        assertThat(client.requestCounts()).containsEntry(RequestKind.TAGS, 4L);
        assertThat(waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void credentialsAreNotSentToTheHostARedirectLeadsTo() throws Exception {
        String config = "{\"created\":\"2024-01-02T03:04:05.123456789+02:00\",\"os\":\"linux\",\"architecture\":\"amd64\"}";
        String digest = RegistryClient.sha256(config.getBytes(StandardCharsets.UTF_8));
        try (StubRegistry storage = new StubRegistry()) {
            storage.route("/bucket/blob", exchange -> send(exchange, 200, Map.of(), config));
            stub.route("/v2/", exchange -> {
                boolean authorized = exchange.getRequestHeaders().getFirst("Authorization") != null;
                send(exchange, authorized ? 200 : 401, authorized ? Map.of() : Map.of("WWW-Authenticate", "Basic realm=\"stub\""), "{}");
            });
            stub.route("/v2/app/blobs/" + digest, exchange -> send(exchange, 307,
                    Map.of("Location", "https://" + storage.address() + "/bucket/blob?signature=abc"), ""));
            // the storage host is not insecure: it is reached with a client that trusts the loopback certificate
            java.net.http.HttpClient trusting = java.net.http.HttpClient.newBuilder()
                    .sslContext(io.jenkins.plugins.gitops.core.testing.registry.LoopbackCertificate.get().clientContext())
                    .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
            RegistryClient client = RegistryClient.builder().httpClient(trusting).insecureRegistries(List.of(stub.address()))
                    .credentials(r -> Optional.of(new RegistryCredentials("bot", "stub-password-99"))).build();

            ImageConfig read = client.config(repository(), digest);

            assertThat(read.created()).isEqualTo(java.time.Instant.parse("2024-01-02T01:04:05.123456789Z"));
            assertThat(stub.requests()).filteredOn(r -> r.path().contains("/blobs/")).singleElement()
                    .extracting(StubRegistry.Request::authorization).asString().startsWith("Basic ");
            assertThat(storage.requests()).singleElement().extracting(StubRegistry.Request::authorization).isNull();
            assertThat(client.requestCounts()).containsEntry(RequestKind.BLOB_GET, 2L);
        }
    }

    @Test
    void aMissingDigestHeaderIsReplacedByTheHashOfTheManifest() {
        stub.route("/v2/app/manifests/1.0", exchange -> send(exchange, 200,
                Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"), MANIFEST));
        RegistryClient client = client();

        String digest = client.digest(repository(), "1.0");

        assertThat(digest).isEqualTo(RegistryClient.sha256(MANIFEST.getBytes(StandardCharsets.UTF_8)));
        assertThat(client.requestCounts()).containsEntry(RequestKind.MANIFEST_HEAD, 1L).containsEntry(RequestKind.MANIFEST_GET, 1L);
        assertThat(stub.requests()).filteredOn(r -> r.method().equals("HEAD")).hasSize(1);
    }

    @Test
    void headAsksForTheFourManifestTypes() {
        List<String> accepted = new CopyOnWriteArrayList<>(); // written on the stub's thread
        stub.route("/v2/app/manifests/1.0", exchange -> {
            accepted.add(exchange.getRequestHeaders().getFirst("Accept"));
            send(exchange, 200, Map.of("Docker-Content-Digest", "sha256:" + "a".repeat(64)), "");
        });

        assertThat(client().digest(repository(), "1.0")).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(accepted).singleElement().asString().contains(
                "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
                "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json");
    }

    @Test
    void aManifestWhoseContentDoesNotMatchItsDigestIsRefused() {
        String wrong = "sha256:" + "b".repeat(64);
        stub.route("/v2/app/manifests/" + wrong, exchange -> send(exchange, 200, Map.of(), MANIFEST));

        assertThatThrownBy(() -> client().manifest(repository(), wrong))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.PROTOCOL))
                .hasMessageContaining("with content of digest");
    }

    @Test
    void forbiddenNamesTheScopeToGrant() {
        stub.route("/v2/app/tags/list", exchange -> send(exchange, 403, Map.of(),
                "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}"));

        assertThatThrownBy(() -> client().tags(repository()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.FORBIDDEN))
                .hasMessageContaining("403 DENIED").hasMessageContaining("scope repository:app:pull");
    }

    @Test
    void anUnreachableRegistryIsUnavailableAfterTheAttempts() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Repository nowhere = Repository.of(ImageReference.parse("127.0.0.1:" + port + "/app"));
        RegistryClient client = RegistryClient.builder().insecureRegistries(List.of("127.0.0.1:" + port)).sleeper(waits::add).build();

        assertThatThrownBy(() -> client.tags(nowhere))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAVAILABLE))
                .hasMessageContaining("cannot reach registry 127.0.0.1:" + port);
    }

    @Test
    void dockerHubNamesAreExpandedAsDockerDoes() {
        assertThat(Repository.of(ImageReference.parse("nginx:1.25")))
                .isEqualTo(new Repository("docker.io", "registry-1.docker.io", "library/nginx"));
        assertThat(Repository.of(ImageReference.parse("index.docker.io/bitnami/redis")))
                .isEqualTo(new Repository("docker.io", "registry-1.docker.io", "bitnami/redis"));
        assertThat(Repository.of(ImageReference.parse("ghcr.io/acme/app")))
                .isEqualTo(new Repository("ghcr.io", "ghcr.io", "acme/app"));
    }

    @Test
    void aClientThatFollowsRedirectsItselfIsRefused() {
        java.net.http.HttpClient following = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();

        assertThatThrownBy(() -> RegistryClient.builder().httpClient(following).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Redirect.NEVER");
    }

    @Test
    void credentialsNeverShowInTheirString() {
        assertThat(new RegistryCredentials("bot", "hunter2-registry")).asString().doesNotContain("hunter2-registry");
    }

    private static Map<String, String> query(String query) {
        Map<String, String> result = new java.util.HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                result.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return result;
    }
}
