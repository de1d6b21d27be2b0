package io.jenkins.plugins.gitops.core.testing.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real CNCF distribution registry (Debian's {@code docker-registry}, 2.8) on 127.0.0.1 and a free port, with a
 * configuration bound to loopback and storage in a test directory; optionally TLS with {@link LoopbackCertificate},
 * Basic authentication from an htpasswd file (made with {@code htpasswd}), or the Bearer flow with a
 * {@link TokenServer}. Images go in with {@code skopeo copy} from OCI layouts ({@link #push}); bulk tags for
 * benchmarks over the API ({@link #upload}, {@link #tag}).
 */
public final class LocalRegistry implements AutoCloseable {

    public static final Path REGISTRY = Path.of("/usr/bin/docker-registry");
    public static final Path SKOPEO = Path.of("/usr/bin/skopeo");
    public static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");

    private final Builder settings;
    private final Path dir;
    private final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder()
            .sslContext(LoopbackCertificate.get().clientContext()).followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * Skips the calling test, saying what to install, when the registry, skopeo or htpasswd is missing
     * ({@code .ci/run} installs them).
     */
    public static void assumeInstalled() {
        for (Path tool : List.of(REGISTRY, SKOPEO, HTPASSWD)) {
            assumeTrue(Files.isExecutable(tool), () -> "skipped: " + tool + " is missing; install Debian's"
                    + " docker-registry, skopeo and apache2-utils packages (as .ci/run does) to run the registry tests");
        }
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** How the registry is started. */
    public static final class Builder {
        private final Path dir;
        private boolean tls;
        private String username;
        private String password;
        private TokenServer tokens;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Serve HTTPS with the self-signed {@link LoopbackCertificate}. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** Basic authentication: one user in an htpasswd file. */
        public Builder basicAuth(String user, String secret) {
            this.username = user;
            this.password = secret;
            return this;
        }

        /** Bearer authentication with tokens from {@code server}; {@code user} pushes. */
        public Builder tokenAuth(TokenServer server, String user, String secret) {
            this.tokens = server;
            this.username = user;
            this.password = secret;
            server.user(user, secret);
            return this;
        }

        public LocalRegistry start() throws IOException, InterruptedException {
            return new LocalRegistry(this);
        }
    }

    private LocalRegistry(Builder settings) throws IOException, InterruptedException {
        this.settings = settings;
        this.dir = Files.createDirectories(settings.dir);
        this.port = freePort();
        StringBuilder config = new StringBuilder("""
                version: 0.1
                log:
                  level: error
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: gitops-test-secret
                """.formatted(dir.resolve("data"), port));
        if (settings.tls) {
            Files.writeString(dir.resolve("tls.crt"), LoopbackCertificate.get().certificatePem());
            Files.writeString(dir.resolve("tls.key"), LoopbackCertificate.get().keyPem());
            config.append("  tls:\n    certificate: ").append(dir.resolve("tls.crt"))
                    .append("\n    key: ").append(dir.resolve("tls.key")).append('\n');
        }
        if (settings.tokens != null) {
            Files.writeString(dir.resolve("token.crt"), LoopbackCertificate.get().certificatePem());
            config.append("auth:\n  token:\n    realm: ").append(settings.tokens.realm())
                    .append("\n    service: ").append(TokenServer.SERVICE)
                    .append("\n    issuer: ").append(TokenServer.ISSUER)
                    .append("\n    rootcertbundle: ").append(dir.resolve("token.crt")).append('\n');
        } else if (settings.username != null) {
            run(List.of(HTPASSWD.toString(), "-Bbc", dir.resolve("htpasswd").toString(), settings.username, settings.password));
            config.append("auth:\n  htpasswd:\n    realm: gitops-test\n    path: ").append(dir.resolve("htpasswd")).append('\n');
        }
        Path configFile = dir.resolve("config.yml");
        Files.writeString(configFile, config);
        process = new ProcessBuilder(REGISTRY.toString(), "serve", configFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        awaitListening();
    }

    /** {@code 127.0.0.1:PORT}, as written in image references. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:PORT/repository}. */
    public String image(String repository) {
        return address() + "/" + repository;
    }

    /** The registry's log so far, for failure messages. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    /** Pushes {@code image} as {@code repository:tag} with {@code skopeo copy} from an OCI layout, digests preserved. */
    public void push(OciImage image, String repository, String tag) throws IOException, InterruptedException {
        Path layout = image.writeLayout(Files.createTempDirectory(dir, "layout"));
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        List<String> command = new ArrayList<>(List.of(SKOPEO.toString(), "--policy", policy.toString(), "copy", "--quiet",
                "--preserve-digests", "--dest-tls-verify=false"));
        if (!image.images().isEmpty()) {
            command.add("--all");
        }
        if (settings.username != null) {
            command.addAll(List.of("--dest-creds", settings.username + ":" + settings.password));
        }
        command.add("oci:" + layout);
        command.add("docker://" + image(repository) + ":" + tag);
        run(command);
    }

    /** Uploads {@code image} over the API (blobs, then manifests) as {@code repository:tag}; faster than skopeo for bulk. */
    public void upload(OciImage image, String repository, String tag) throws IOException, InterruptedException {
        for (Map.Entry<String, byte[]> blob : image.blobs().entrySet()) {
            HttpResponse<byte[]> start = send(repository, "POST", "/v2/" + repository + "/blobs/uploads/", null,
                    HttpRequest.BodyPublishers.noBody());
            expect(start, 202);
            String location = start.headers().firstValue("Location").orElseThrow();
            URI put = base().resolve(location);
            String target = put + (put.getRawQuery() == null ? "?" : "&") + "digest=" + blob.getKey();
            expect(send(repository, "PUT", target, "application/octet-stream",
                    HttpRequest.BodyPublishers.ofByteArray(blob.getValue())), 201);
        }
        for (OciImage child : image.images()) {
            putManifest(repository, child.digest(), child.mediaType(), child.manifest());
        }
        putManifest(repository, tag, image.mediaType(), image.manifest());
    }

    /** Points more tags at the manifest {@code existing} names (a tag or digest), over the API. */
    public void tag(String repository, String existing, List<String> tags) throws IOException, InterruptedException {
        HttpResponse<byte[]> manifest = send(repository, "GET", "/v2/" + repository + "/manifests/" + existing, null,
                HttpRequest.BodyPublishers.noBody());
        expect(manifest, 200);
        String type = manifest.headers().firstValue("Content-Type").orElseThrow();
        for (String tag : tags) {
            putManifest(repository, tag, type, manifest.body());
        }
    }

    private void putManifest(String repository, String reference, String type, byte[] body) throws IOException, InterruptedException {
        expect(send(repository, "PUT", "/v2/" + repository + "/manifests/" + reference, type,
                HttpRequest.BodyPublishers.ofByteArray(body)), 201);
    }

    private HttpResponse<byte[]> send(String repository, String method, String pathOrUrl, String contentType,
                                      HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve(pathOrUrl)).method(method, body)
                .header("Accept", String.join(", ", OciImage.OCI_INDEX, OciImage.OCI_MANIFEST,
                        "application/vnd.docker.distribution.manifest.list.v2+json",
                        "application/vnd.docker.distribution.manifest.v2+json"));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (settings.tokens != null) {
            request.header("Authorization", "Bearer " + settings.tokens.issue(settings.username,
                    List.of("repository:" + repository + ":pull,push")));
        } else if (settings.username != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (settings.username + ":" + settings.password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI base() {
        return URI.create((settings.tls ? "https" : "http") + "://" + address() + "/");
    }

    private void expect(HttpResponse<byte[]> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(response.request().method() + " " + response.uri() + " answered " + response.statusCode()
                    + ": " + new String(response.body(), StandardCharsets.UTF_8) + "\nregistry log:\n" + log());
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close(); // connecting is the whole probe
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("docker-registry did not listen on " + address() + " within 30 s:\n" + log());
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command).replace(settings.password == null ? "\0" : settings.password, "****")
                    + " failed:\n" + output + "\nregistry log:\n" + log());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            // killed: its storage is thrown away, and a graceful stop waits for idle client connections
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
