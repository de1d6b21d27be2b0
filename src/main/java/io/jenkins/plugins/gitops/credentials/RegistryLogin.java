package io.jenkins.plugins.gitops.credentials;

import java.io.Serializable;
import java.util.Objects;

/**
 * The login to an image registry, resolved on the controller for one step and sent with the agent callable that reads
 * the registry, as {@link GitAccess} is for git. Never stored in the build or the program state.
 *
 * @param username the user name ({@value #TOKEN_USERNAME} for a secret text credential)
 * @param password the password or access token
 */
public record RegistryLogin(String username, String password) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The user name sent with a secret text credential's token: registries that take tokens accept any name. */
    public static final String TOKEN_USERNAME = "token";

    public RegistryLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "RegistryLogin[username=" + username + "]";
    }
}
