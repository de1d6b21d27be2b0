package io.jenkins.plugins.gitops.core.testing.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.gitops.core.testing.ServerSideFailures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The token service of the Distribution API's Bearer flow, on 127.0.0.1: {@code GET /token?service=...&scope=...},
 * Basic credentials checked against its users, answered with a JWT signed by {@link LoopbackCertificate} that the
 * registry ({@link LocalRegistry.Builder#tokenAuth}) trusts. Anonymous requests get pull access when
 * {@link #anonymousPull} is set; {@link #grantNothing} issues tokens without any access (the registry then answers
 * {@code insufficient_scope}).
 */
public final class TokenServer implements AutoCloseable {

    /** The {@code service} the registry names in its challenge and the tokens' audience. */
    public static final String SERVICE = "gitops-test-registry";
    /** The tokens' issuer. */
    public static final String ISSUER = "gitops-test-token-service";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final ServerSideFailures failures = new ServerSideFailures("the registry token server");
    private volatile boolean anonymousPull;
    private volatile boolean grantNothing;
    private volatile boolean accessTokenField;
    private volatile long expiresIn = 300;

    public TokenServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/token", exchange -> {
            try (exchange) {
                handle(exchange);
            } catch (RuntimeException | Error e) {
                failures.record("answering " + exchange.getRequestURI(), e);
                throw e;
            }
        });
        server.start();
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public TokenServer user(String name, String password) {
        users.put(name, password);
        return this;
    }

    public TokenServer anonymousPull(boolean allowed) {
        this.anonymousPull = allowed;
        return this;
    }

    /** Tokens without any access, as a token service answers a user lacking the scope. */
    public TokenServer grantNothing(boolean nothing) {
        this.grantNothing = nothing;
        return this;
    }

    /** Answer with {@code access_token} only (the OAuth 2 field name) instead of {@code token}. */
    public TokenServer accessTokenField(boolean only) {
        this.accessTokenField = only;
        return this;
    }

    public TokenServer expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** The query of every token request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /**
     * Every token answered, in order, as {@code subject field access}: {@code anonymous access_token pull} or
     * {@code ci-bot token none}, so that a test shows the answer it set up was the one given.
     */
    public List<String> answered() {
        return List.copyOf(answered);
    }

    /** A token for {@code scope} ({@code repository:NAME:pull,push}), as the service would issue it to a user. */
    public String issue(String subject, List<String> scopes) {
        ObjectNode header = JSON.createObjectNode();
        header.put("typ", "JWT");
        header.put("alg", "ES256");
        try {
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(LoopbackCertificate.get().certificate().getEncoded()));
            long now = Instant.now().getEpochSecond();
            ObjectNode claims = JSON.createObjectNode();
            claims.put("iss", ISSUER);
            claims.put("sub", subject);
            claims.put("aud", SERVICE);
            claims.put("iat", now);
            claims.put("nbf", now - 10);
            claims.put("exp", now + expiresIn);
            claims.put("jti", UUID.randomUUID().toString());
            ArrayNode access = claims.putArray("access");
            for (String scope : scopes) {
                String[] parts = scope.split(":");
                if (parts.length == 3 && parts[0].equals("repository") && !grantNothing) {
                    ObjectNode entry = access.addObject();
                    entry.put("type", "repository");
                    entry.put("name", parts[1]);
                    ArrayNode actions = entry.putArray("actions");
                    for (String action : parts[2].split(",")) {
                        actions.add(action);
                    }
                }
            }
            String signingInput = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(LoopbackCertificate.get().key());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signer.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        requests.add(URLDecoder.decode(query, StandardCharsets.UTF_8));
        List<String> scopes = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.startsWith("scope=")) {
                scopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        String subject = "anonymous";
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            if (pair.length != 2 || !pair[1].equals(users.get(pair[0]))) {
                answer(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication failed\"}]}");
                return;
            }
            subject = pair[0];
        } else if (!anonymousPull) {
            answer(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        } else {
            scopes.replaceAll(scope -> scope.replaceAll(":[^:]*$", ":pull")); // anonymous: pull only
        }
        String token = issue(subject, scopes);
        ObjectNode body = JSON.createObjectNode();
        body.put(accessTokenField ? "access_token" : "token", token);
        answered.add(subject + " " + (accessTokenField ? "access_token" : "token") + " "
                + (grantNothing ? "none" : scopes.isEmpty() ? "-" : String.join(",", scopes).replaceAll(".*:", "")));
        body.put("expires_in", expiresIn);
        body.put("issued_at", Instant.now().toString());
        answer(exchange, 200, JSON.writeValueAsString(body));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        failures.rethrow();
    }
}
