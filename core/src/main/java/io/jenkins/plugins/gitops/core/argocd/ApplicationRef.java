package io.jenkins.plugins.gitops.core.argocd;

import java.util.Objects;

/**
 * Which application to act on.
 *
 * @param name the application's name
 * @param namespace the namespace the Application lives in ({@code appNamespace}); null for the controller's own
 * @param project the project it must belong to; null for any. With a project, a missing app is reported as
 *     not found instead of the server's ambiguous "permission denied".
 */
public record ApplicationRef(String name, String namespace, String project) {

    public ApplicationRef {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("application name is empty");
        }
        namespace = blankToNull(namespace);
        project = blankToNull(project);
    }

    /** An application in the controller's namespace, any project. */
    public static ApplicationRef of(String name) {
        return new ApplicationRef(name, null, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return namespace == null ? name : namespace + "/" + name;
    }
}
