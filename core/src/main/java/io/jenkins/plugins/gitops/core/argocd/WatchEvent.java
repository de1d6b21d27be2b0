package io.jenkins.plugins.gitops.core.argocd;

import java.util.Objects;

/**
 * One change of a watched application.
 *
 * @param type what happened
 * @param application the application after the change (before deletion for {@link Type#DELETED})
 */
public record WatchEvent(Type type, Application application) {

    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(application, "application");
    }

    /** The Kubernetes watch event types Argo CD passes through. */
    public enum Type {
        ADDED,
        MODIFIED,
        DELETED
    }
}
