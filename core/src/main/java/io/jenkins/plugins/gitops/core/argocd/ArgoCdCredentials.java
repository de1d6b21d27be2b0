package io.jenkins.plugins.gitops.core.argocd;

import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.util.Objects;

/**
 * How {@link ArgoCdClient} authenticates. {@code toString()} never shows the secret, and the secret is registered with
 * {@link Redaction} when the value is made.
 */
public sealed interface ArgoCdCredentials {

    /**
     * A bearer token: an account or project token ({@code argocd account generate-token}), or a session JWT. When
     * it expires, calls fail with {@link AuthenticationFailedException}; nothing can renew it.
     */
    record Token(String token) implements ArgoCdCredentials {
        public Token {
            Objects.requireNonNull(token, "token");
            if (token.isBlank()) {
                throw new IllegalArgumentException("the Argo CD token is empty");
            }
            token = token.strip();
            Redaction.register(this, token);
        }

        @Override
        public String toString() {
            return "Token[****]";
        }
    }

    /** A local Argo CD user: the client logs in ({@code POST /api/v1/session}) and logs in again when the session expires. */
    record Login(String username, String password) implements ArgoCdCredentials {
        public Login {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isBlank()) {
                throw new IllegalArgumentException("the Argo CD username is empty");
            }
            Redaction.register(this, password);
        }

        @Override
        public String toString() {
            return "Login[" + username + ", ****]";
        }
    }
}
