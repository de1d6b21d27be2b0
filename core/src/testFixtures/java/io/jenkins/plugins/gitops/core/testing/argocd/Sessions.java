package io.jenkins.plugins.gitops.core.testing.argocd;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Local users and the JWT-shaped tokens the fake issues for them (CONTRACT.md section 1). */
final class Sessions {

    /** A token the fake issued: who it is for and until when it is valid. */
    record Session(String username, Instant issuedAt, Instant expiresAt) {}

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, Session> tokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Duration lifetime = Duration.ofHours(24);

    Sessions(Clock clock) {
        this.clock = clock;
    }

    void addUser(String username, String password) {
        passwords.put(username, password);
    }

    void lifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }

    /** POST /api/v1/session. */
    String login(String username, String password) {
        if (username.isEmpty() || password.isEmpty()) {
            throw new ArgoError(ArgoError.UNAUTHENTICATED, "no credentials supplied");
        }
        if (!password.equals(passwords.get(username))) {
            throw new ArgoError(ArgoError.UNAUTHENTICATED, "Invalid username or password");
        }
        return issue(username, username);
    }

    /** A token for {@code username}; {@code subject} is what the JWT names (e.g. {@code ci:apiKey}). */
    String issue(String username, String subject) {
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        String header = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String payload = encode("{\"iss\":\"argocd\",\"sub\":\"" + subject + "\",\"nbf\":" + now.getEpochSecond()
                + ",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + expires.getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
        byte[] signature = new byte[32];
        random.nextBytes(signature);
        String token = header + "." + payload + "." + BASE64URL.encodeToString(signature);
        tokens.put(token, new Session(username, now, expires));
        return token;
    }

    /** The session of a request's token; a missing, unknown or expired token is a 401. */
    Session authenticate(String token) {
        if (token == null || token.isEmpty()) {
            throw new ArgoError(ArgoError.UNAUTHENTICATED, "no session information");
        }
        if (token.split("\\.", -1).length != 3) {
            throw new ArgoError(ArgoError.UNAUTHENTICATED,
                    "invalid session: token is malformed: token contains an invalid number of segments");
        }
        Session session = tokens.get(token);
        if (session == null) {
            throw new ArgoError(ArgoError.UNAUTHENTICATED,
                    "invalid session: token signature is invalid: signature is invalid");
        }
        if (!clock.instant().isBefore(session.expiresAt())) {
            throw new ArgoError(ArgoError.UNAUTHENTICATED, "invalid session: token is expired");
        }
        return session;
    }

    void expire(String token) {
        Session session = tokens.get(token);
        if (session == null) {
            throw new IllegalArgumentException("the fake Argo CD never issued this token");
        }
        tokens.put(token, new Session(session.username(), session.issuedAt(), session.issuedAt()));
    }

    void expireAll() {
        tokens.replaceAll((token, s) -> new Session(s.username(), s.issuedAt(), s.issuedAt()));
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
