package io.jenkins.plugins.gitops.core.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.gitops.core.argocd.ApplicationJson;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ServerUnavailableException;
import io.jenkins.plugins.gitops.core.argocd.WatchEvent;
import io.jenkins.plugins.gitops.core.argocd.WatchHandle;
import io.jenkins.plugins.gitops.core.argocd.WatchListener;

/**
 * A watch of one Application through the Kubernetes API.
 *
 * <p>It starts by reading the Application (the first event, {@code ADDED}, is its current state) and watches from
 * that resourceVersion. The fabric8 client resumes a dropped connection from the last resourceVersion it saw; when
 * the API server no longer has that version (410 Gone, after a long disconnect or an etcd compaction) the
 * Application is read again and watched from there, which loses nothing a waiter needs: it compares states, not
 * transitions. Events whose resourceVersion was already delivered (a resumed watch repeats the current object) are
 * dropped. Callbacks are serialised and never run after {@link #close()} returned.
 */
final class ApplicationWatch implements WatchHandle {

    /** Consecutive 410s without a single event in between before the watch gives up. */
    private static final int MAX_RELISTS = 5;

    private final KubernetesApplicationBackend backend;
    private final ApplicationRef app;
    private final WatchListener listener;
    private Watch current;
    private String lastResourceVersion;
    private int relists;
    /** Incremented by each list-and-watch, so that a watch opened by an older one is not kept. */
    private int generation;
    private boolean closed;

    private ApplicationWatch(KubernetesApplicationBackend backend, ApplicationRef app, WatchListener listener) {
        this.backend = backend;
        this.app = app;
        this.listener = listener;
    }

    static ApplicationWatch start(KubernetesApplicationBackend backend, ApplicationRef app, WatchListener listener) {
        ApplicationWatch watch = new ApplicationWatch(backend, app, listener);
        backend.executor().execute(watch::listAndWatch);
        return watch;
    }

    /** Reads the Application, delivers it, and watches from its resourceVersion. */
    private void listAndWatch() {
        ObjectNode state;
        int mine;
        try {
            state = backend.read(app);
            synchronized (this) {
                if (closed) {
                    return;
                }
                mine = ++generation;
                deliver(WatchEvent.Type.ADDED, state);
            }
        } catch (RuntimeException e) {
            end(e); // on the executor, an exception would vanish and leave the waiter waiting
            return;
        }
        String from = state.path("metadata").path("resourceVersion").asText(null);
        Watch opened;
        try {
            // Blocks until the connection is up; outside the lock so that close() never waits for it.
            opened = backend.applications(app).withName(app.name())
                    .watch(new ListOptionsBuilder().withResourceVersion(from).build(), new Events());
        } catch (KubernetesClientException e) {
            end(backend.translate(e, "watch", app));
            return;
        }
        synchronized (this) {
            if (closed || generation != mine) {
                opened.close();
            } else {
                current = opened;
            }
        }
    }

    private final class Events implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource resource) {
            WatchEvent.Type type = switch (action) {
                case ADDED -> WatchEvent.Type.ADDED;
                case MODIFIED -> WatchEvent.Type.MODIFIED;
                case DELETED -> WatchEvent.Type.DELETED;
                default -> null; // BOOKMARK, ERROR: nothing to deliver
            };
            if (type == null) {
                return;
            }
            try {
                synchronized (ApplicationWatch.this) {
                    if (!closed) {
                        relists = 0;
                        deliver(type, ApplicationJson.mapper().convertValue(resource, ObjectNode.class));
                    }
                }
            } catch (RuntimeException e) {
                end(e); // the client would only log an exception thrown here, and the waiter would wait on
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            if (cause.isHttpGone()) {
                synchronized (ApplicationWatch.this) {
                    if (closed) {
                        return;
                    }
                    if (++relists > MAX_RELISTS) {
                        end(new ServerUnavailableException(410, cause.getMessage(), "the watch of Application "
                                + backend.where(app) + " keeps expiring (410 Gone) right after it starts", cause));
                        return;
                    }
                }
                backend.executor().execute(ApplicationWatch.this::listAndWatch);
                return;
            }
            Throwable reason = cause.getCause() instanceof KubernetesClientException k
                    ? backend.translate(k, "watch", app)
                    : new ServerUnavailableException(0, null, "the watch of Application " + backend.where(app)
                            + " ended: " + cause.getMessage(), cause);
            end(reason);
        }

        @Override
        public void onClose() {
            end(null);
        }
    }

    private void deliver(WatchEvent.Type type, ObjectNode state) {
        String version = state.path("metadata").path("resourceVersion").asText(null);
        if (version != null && version.equals(lastResourceVersion) && type != WatchEvent.Type.DELETED) {
            return;
        }
        lastResourceVersion = version;
        listener.onEvent(new WatchEvent(type, ApplicationJson.parseAnswer(state, "watching Application "
                + backend.where(app))));
    }

    private synchronized void end(Throwable error) {
        if (!closed) {
            closed = true;
            listener.onClosed(error);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
