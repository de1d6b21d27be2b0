package io.jenkins.plugins.gitops.core.argocd;

/**
 * Receives the events of one watch, see {@link ApplicationBackend#watch}.
 *
 * <p>Callbacks of one watch are never concurrent and arrive in order; they run on a thread of the backend's
 * executor and must return quickly (no blocking I/O).
 */
public interface WatchListener {

    /** The application changed (or, first, its current state as {@code ADDED}). */
    void onEvent(WatchEvent event);

    /**
     * The watch ended by itself and no further events follow. Called at most once, and not after
     * {@link WatchHandle#close()} returned.
     *
     * @param error null for a plain end of stream; otherwise why (an {@link ArgoCdException}: a
     *     {@link ServerUnavailableException} for a dropped connection or a mid-stream server error,
     *     {@link AuthenticationFailedException}, {@link PermissionDeniedException}, ...). Either way the caller may
     *     watch again from the last resourceVersion it saw.
     */
    void onClosed(Throwable error);
}
