package io.jenkins.plugins.gitops.core.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.gitops.core.testing.ServerSideFailures;
import io.jenkins.plugins.gitops.core.testing.registry.LoopbackCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry stub on 127.0.0.1 (HTTPS with the self-signed {@link LoopbackCertificate}: clients name it insecure) for what the real distribution 2.8 does not do: pagination as the specification
 * describes it ({@code n}, {@code last}, {@code Link}), rate limiting, redirects to another host, missing headers.
 * Each test routes paths to answers; every request is recorded, and a route that throws fails the test at {@link #close()}.
 */
final class StubRegistry implements AutoCloseable {

    /** One recorded request. */
    record Request(String method, String path, String query, String authorization) {}

    /** Answers one request. */
    @FunctionalInterface
    interface Route {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpsServer server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSideFailures failures = new ServerSideFailures("the registry stub");

    StubRegistry() throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(LoopbackCertificate.get().serverContext()));
        route("/v2/", exchange -> send(exchange, 200, Map.of(), "{}"));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Route route = routes.get(path);
            if (route == null) {
                send(exchange, 404, Map.of(), "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}");
            } else {
                try {
                    route.answer(exchange);
                } catch (RuntimeException | Error e) {
                    failures.record("answering " + exchange.getRequestMethod() + " " + path, e);
                    throw e;
                }
            }
        });
        server.start();
    }

    StubRegistry route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    /** {@code 127.0.0.1:PORT}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        failures.rethrow();
    }
}
