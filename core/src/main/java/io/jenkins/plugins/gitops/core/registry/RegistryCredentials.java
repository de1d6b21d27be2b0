package io.jenkins.plugins.gitops.core.registry;

import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.util.Objects;

/**
 * A user name and password (or access token used as the password) for one registry: sent as Basic authentication to
 * a registry that asks for Basic, and to the token service of one that asks for Bearer. The password is registered
 * with {@link Redaction} here, where it enters the engine, so it never reaches a message.
 *
 * @param username the user name (for an access token, any name the registry accepts, e.g. the account name)
 * @param password the password or access token
 */
public record RegistryCredentials(String username, String password) {

    public RegistryCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the registry password is empty");
        }
        Redaction.registerBasic(this, username, password);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", password=" + Redaction.MASK + "]";
    }
}
