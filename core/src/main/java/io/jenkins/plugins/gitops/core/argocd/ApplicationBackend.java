package io.jenkins.plugins.gitops.core.argocd;

import java.util.concurrent.CompletableFuture;

/**
 * Where {@link SyncWaiter} reads and drives an Argo CD Application: the Argo CD API server
 * ({@link ArgoCdClient}) or the Application custom resource through the Kubernetes API.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Every method returns at once; the work completes asynchronously. Implementations must not hold a thread
 *       per call or per watch while waiting on the network: a Jenkins controller runs hundreds of waits at once.
 *       A blocking client may run short calls on a small bounded executor, never a long wait.</li>
 *   <li>Futures complete exceptionally with an {@link ArgoCdException} subtype (possibly wrapped in a
 *       {@link java.util.concurrent.CompletionException}): {@link AuthenticationFailedException},
 *       {@link PermissionDeniedException}, {@link ApplicationNotFoundException}, {@link InvalidRequestException},
 *       {@link OperationInProgressException}, {@link ConflictException}, {@link ServerUnavailableException}
 *       (retryable). Messages name the application and never contain credentials.</li>
 *   <li>Transient server errors may be retried inside the backend; what reaches the caller is final for that
 *       call.</li>
 * </ul>
 */
public interface ApplicationBackend {

    /** Where this backend talks to, for messages (e.g. {@code https://argocd.example.org}); no credentials. */
    String describe();

    /**
     * Reads the application.
     *
     * @param refresh {@link Refresh#NONE} to read the stored state; otherwise ask the controller to compare with git
     *     first. The API server blocks until the controller reconciled; the custom resource path sets the
     *     {@code argocd.argoproj.io/refresh} annotation and returns the state as stored (the waiter copes with both).
     */
    CompletableFuture<Application> get(ApplicationRef app, Refresh refresh);

    /**
     * Starts a sync operation.
     *
     * <p>Completes with the application as stored right after the request, with {@code operation} set and the
     * request's {@code infos} in {@code operation.info} (the waiter identifies its operation by them). Completes
     * exceptionally with {@link OperationInProgressException} when another operation is already requested or running
     * (the custom resource path must check {@code .operation == null} itself and write with the resourceVersion it
     * read, mapping a conflict to this exception).
     */
    CompletableFuture<Application> sync(ApplicationRef app, SyncRequest request);

    /**
     * Watches the application. The first event is its current state ({@code ADDED}), then every change after
     * {@code fromResourceVersion}. The stream has no heartbeats: silence means nothing changed, or a dead
     * connection, which is why the waiter also reads the app now and then.
     *
     * @param fromResourceVersion resume point; null for "now"
     * @return a handle that stops the watch; the watch may fail to open, which is reported through
     *     {@link WatchListener#onClosed}
     */
    WatchHandle watch(ApplicationRef app, String fromResourceVersion, WatchListener listener);

    /**
     * Asks the controller to terminate the running operation (phase {@code Terminating}, then {@code Failed}
     * "Operation terminated"). Completes normally when there was nothing to terminate. An operation requested but
     * not started by the controller yet is withdrawn where the backend can (the custom resource); the API server
     * cannot, and completes exceptionally with {@link OperationNotStartedException}: retry once it started.
     */
    CompletableFuture<Void> terminate(ApplicationRef app);

    /**
     * The "argocd" write-back: merges parameter overrides (kustomize images, Helm parameters) into the application's
     * source by the rules of {@code argocd app set} (see {@link SpecOverride}), and writes only when that changes the
     * spec.
     *
     * @return completes with true when the spec changed and was written, false when every override was already in
     *     place (nothing was written); exceptionally with {@link InvalidRequestException} when the spec has no source
     *     at the requested position
     */
    CompletableFuture<Boolean> override(ApplicationRef app, SpecOverride override);
}
