package io.jenkins.plugins.gitops.core.testing.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.gitops.core.testing.ServerSideFailures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Git smart HTTP on 127.0.0.1: a small front that checks HTTP Basic credentials and runs the real
 * {@code git-http-backend} as a CGI for every request, so that the server side (pack negotiation, hooks,
 * ref locking) is git's own. Serves every bare repository under a root directory at
 * {@code http://127.0.0.1:PORT/NAME}.
 */
public final class GitHttpServer implements AutoCloseable {

    /** Debian's git package installs it here; {@code .ci/run} installs git when it is missing. */
    public static final Path GIT_HTTP_BACKEND = Path.of("/usr/lib/git-core/git-http-backend");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path projectRoot;
    private final String username;
    private final String password;
    private final AtomicInteger pushes = new AtomicInteger();
    private final AtomicInteger refusedLogins = new AtomicInteger();
    private final AtomicInteger echoedAuthorizations = new AtomicInteger();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final ServerSideFailures failures = new ServerSideFailures("the git HTTP server");
    private volatile boolean echoAuthorization;
    private volatile boolean allowFilters;

    private GitHttpServer(Path projectRoot, String username, String password) throws IOException {
        if (!Files.isExecutable(GIT_HTTP_BACKEND)) {
            throw new IllegalStateException(GIT_HTTP_BACKEND + " is missing: install Debian's git package.");
        }
        this.projectRoot = projectRoot.toAbsolutePath();
        this.username = username;
        this.password = password;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "git-http");
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves the bare repositories under {@code projectRoot}, to clients that log in as {@code username}. */
    public static GitHttpServer start(Path projectRoot, String username, String password) throws IOException {
        return new GitHttpServer(projectRoot, username, password);
    }

    /** The clone URL of a repository under the root. */
    public String url(String repositoryName) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repositoryName;
    }

    /** How many pushes (receive-pack requests) reached git. */
    public int pushes() {
        return pushes.get();
    }

    /**
     * From now on, every request that carries credentials is refused with a git {@code ERR} line quoting them: the
     * {@code Authorization} header as sent and the {@code user:password} it encodes (a server that echoes what it was
     * sent). Requests without credentials are still asked for them.
     */
    public GitHttpServer echoAuthorizationInErrors() {
        echoAuthorization = true;
        return this;
    }

    /** How many refusals quoted the credentials (see {@link #echoAuthorizationInErrors()}): proof that the echo fired. */
    public int echoedAuthorizations() {
        return echoedAuthorizations.get();
    }

    /**
     * From now on, serves partial clones as GitHub and GitLab do: {@code uploadpack.allowFilter} (a client may ask for
     * {@code --filter=blob:none}) and {@code uploadpack.allowAnySHA1InWant} (it may then fetch the blobs it needs by id).
     * Without this the server is git's default, which ignores a filter and sends every object.
     */
    public GitHttpServer allowFilters() {
        allowFilters = true;
        return this;
    }

    /** The request bodies received so far, in bytes as they came over the wire: what clients uploaded. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** The response bodies sent so far, in bytes: what clients downloaded. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** How many requests carried wrong credentials. */
    public int refusedLogins() {
        return refusedLogins.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (echoAuthorization && authorization != null) {
                echoedAuthorizations.incrementAndGet();
                echo(exchange, authorization);
                return;
            }
            if (authorization == null || !authorization.equals(expectedAuthorization())) {
                if (authorization != null) {
                    refusedLogins.incrementAndGet();
                }
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            runBackend(exchange);
        } catch (IOException clientGone) {
            // The client went away; nobody is left to answer.
        } catch (RuntimeException | Error e) {
            failures.record(exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
            throw e;
        }
    }

    /** A smart HTTP advertisement that is one {@code ERR} packet line, as a git server sends to refuse a client. */
    private static void echo(HttpExchange exchange, String authorization) throws IOException {
        String service = String.valueOf(exchange.getRequestURI().getRawQuery()).replace("service=", "");
        String decoded = new String(Base64.getDecoder().decode(authorization.replaceFirst("(?i)^basic\\s+", "")),
                StandardCharsets.UTF_8);
        byte[] body = (packetLine("# service=" + service + "\n") + "0000"
                + packetLine("ERR access denied for " + decoded + " (" + authorization + ")\n"))
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-" + service + "-advertisement");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String packetLine(String text) {
        return String.format("%04x", text.getBytes(StandardCharsets.UTF_8).length + 4) + text;
    }

    private String expectedAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void runBackend(HttpExchange exchange) throws IOException {
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        if (path.endsWith("/git-receive-pack")) {
            pushes.incrementAndGet();
        }
        ProcessBuilder builder = new ProcessBuilder(GIT_HTTP_BACKEND.toString());
        Map<String, String> env = builder.environment();
        GitCli.isolate(env);
        env.put("GIT_PROJECT_ROOT", projectRoot.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", path);
        env.put("QUERY_STRING", query == null ? "" : query);
        env.put("REMOTE_USER", username);
        env.put("REMOTE_ADDR", "127.0.0.1");
        putHeader(exchange, env, "Content-Type", "CONTENT_TYPE");
        putHeader(exchange, env, "Content-Length", "CONTENT_LENGTH");
        putHeader(exchange, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
        putHeader(exchange, env, "Git-Protocol", "GIT_PROTOCOL");
        if (allowFilters) {
            env.put("GIT_CONFIG_COUNT", "2");
            env.put("GIT_CONFIG_KEY_0", "uploadpack.allowFilter");
            env.put("GIT_CONFIG_VALUE_0", "true");
            env.put("GIT_CONFIG_KEY_1", "uploadpack.allowAnySHA1InWant");
            env.put("GIT_CONFIG_VALUE_1", "true");
        }
        Process backend = builder.start();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread feeder = StreamPump.start(
                counted(exchange.getRequestBody(), bytesReceived), backend.getOutputStream(), true, "git-http-request");
        Thread errorDrain = StreamPump.start(backend.getErrorStream(), errors, true, "git-http-stderr");
        try (InputStream response = backend.getInputStream()) {
            int status = 200;
            String line;
            while (!(line = readHeaderLine(response)).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.split(" ")[0]);
                } else {
                    exchange.getResponseHeaders().add(name, value);
                }
            }
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                bytesSent.addAndGet(response.transferTo(body));
            }
        } finally {
            try {
                backend.waitFor(5, TimeUnit.MINUTES);
                feeder.join(TimeUnit.MINUTES.toMillis(1));
                errorDrain.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            backend.destroy();
        }
    }

    private static InputStream counted(InputStream in, AtomicLong total) {
        return new java.io.FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b != -1) {
                    total.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    total.addAndGet(n);
                }
                return n;
            }
        };
    }

    private static void putHeader(HttpExchange exchange, Map<String, String> env, String header, String variable) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
            env.put(variable, value);
        }
    }

    /** Reads one CGI header line (CRLF or LF ended) byte by byte, so the body stays in the stream. */
    private static String readHeaderLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    /** Stops the server, then fails with what went wrong while it answered, if anything did. */
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        failures.rethrow();
    }
}
