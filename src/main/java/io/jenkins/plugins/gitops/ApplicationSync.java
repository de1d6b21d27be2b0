package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdClient;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.argocd.Refresh;
import io.jenkins.plugins.gitops.core.argocd.ResourceProblem;
import io.jenkins.plugins.gitops.core.argocd.SpecOverride;
import io.jenkins.plugins.gitops.core.argocd.SyncProgressListener;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.core.argocd.SyncWaiter;
import io.jenkins.plugins.gitops.core.argocd.WaitRequest;
import io.jenkins.plugins.gitops.core.kube.ClusterAccess;
import io.jenkins.plugins.gitops.core.kube.KubernetesApplicationBackend;
import io.jenkins.plugins.gitops.credentials.ArgoCdConnections;
import io.jenkins.plugins.gitops.credentials.BuildCredentials;
import io.jenkins.plugins.gitops.credentials.KubernetesConnections;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One connection to where an application lives (an Argo CD API server, or the Kubernetes API) and the
 * sync-and-wait on it, shared by the Pipeline step and the freestyle build step. Lives on the controller for the
 * duration of one wait; secrets are resolved when it is opened and are never kept beyond it.
 */
final class ApplicationSync implements AutoCloseable {

    private final SyncSettings settings;
    private final ApplicationBackend backend;
    @CheckForNull
    private final KubernetesClient kubernetes;
    @CheckForNull
    private final String appUrl;

    private ApplicationSync(SyncSettings settings, ApplicationBackend backend, KubernetesClient kubernetes, String appUrl) {
        this.settings = settings;
        this.backend = backend;
        this.kubernetes = kubernetes;
        this.appUrl = appUrl;
    }

    /** Resolves the credentials (in the build's context) and builds the backend; contacts nothing yet. */
    static ApplicationSync open(@NonNull SyncSettings settings, @NonNull BuildCredentials credentials) throws IOException {
        switch (settings.target) {
            case SERVER -> {
                ArgoCdServer server = settings.globalServer();
                ArgoCdClient client = ArgoCdConnections.client(server, credentials);
                return new ApplicationSync(
                        settings, client, null, server.applicationUrl(settings.namespace, settings.app));
            }
            case URL -> {
                ArgoCdClient client = new ArgoCdClient(
                        URI.create(settings.url),
                        ArgoCdConnections.toCore(credentials.argoCdJobCredential(settings.credentialsId, settings.url)),
                        ArgoCdConnections.sharedHttpClient(null, false));
                return new ApplicationSync(settings, client, null,
                        ArgoCdServer.applicationUrl(settings.url, settings.namespace, settings.app));
            }
            case KUBECONFIG -> {
                String kubeconfig = credentials.kubeconfig(settings.kubeconfigCredentialsId);
                ClusterAccess access;
                try {
                    // A job's credential may not run a command or read a file on the controller.
                    access = ClusterAccess.selfContainedKubeconfig(kubeconfig);
                } catch (IllegalArgumentException e) {
                    throw new AbortException(Messages.ApplicationSync_kubeconfigRefused(
                            settings.kubeconfigCredentialsId, e.getMessage()));
                }
                return kubernetes(settings, access);
            }
            case IN_CLUSTER -> {
                // Checked again after a restart: the administrator may have withdrawn it meanwhile.
                if (!GitopsGlobalConfiguration.get().isInClusterAccess()) {
                    throw new AbortException(Messages.ApplicationSync_inClusterDisabled());
                }
                return kubernetes(settings, ClusterAccess.fromEnvironment());
            }
            default -> throw new IllegalStateException("unknown target " + settings.target);
        }
    }

    private static ApplicationSync kubernetes(SyncSettings settings, ClusterAccess access) throws IOException {
        KubernetesClient client;
        try {
            client = KubernetesConnections.connect(access);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        // The Application's namespace goes in the ApplicationRef; the backend's default covers the rest.
        return new ApplicationSync(
                settings, new KubernetesApplicationBackend(client, null, null, SyncThreads.get().blocking()), client, null);
    }

    /** Starts the wait on the plugin's scheduler; completes when the application is done or failed. */
    CompletableFuture<SyncResult> start(WaitRequest request, SyncProgressListener progress) {
        return new SyncWaiter(backend, SyncThreads.get().scheduler()).start(request, progress);
    }

    /** Reads the application as stored (no refresh). */
    CompletableFuture<Application> read() {
        return backend.get(settings.applicationRef(), Refresh.NONE);
    }

    /**
     * Syncs and waits on the calling thread, which it holds as any freestyle build step does, then records and
     * concludes the wait: the one blocking path, of the freestyle build step and of {@code gitopsRollback}. An
     * interrupt (the build aborted) cancels the wait and, with {@code terminateOnAbort}, the sync operation.
     *
     * @param expected the commit that must end up deployed; null for what the target revision resolves to
     * @throws AbortException when the application did not get there, naming the resources at fault
     */
    static SyncResult syncAndWait(SyncSettings settings, @CheckForNull String expected, Run<?, ?> run,
            TaskListener listener) throws IOException, InterruptedException {
        BuildCredentials credentials = new BuildCredentials(run);
        try (ApplicationSync application = ApplicationSync.open(settings, credentials)) {
            PrintStream log = credentials.mask(listener).getLogger();
            log.println(Messages.GitopsSyncStep_waiting(
                    settings.applicationRef(), application.describe(),
                    expected == null ? Messages.GitopsSyncStep_anyRevision() : expected,
                    Util.getTimeSpanString(TimeUnit.SECONDS.toMillis(settings.timeoutSeconds))));
            CompletableFuture<SyncResult> wait = application.start(
                    settings.waitRequest(expected, Duration.ofSeconds(settings.timeoutSeconds), null),
                    line -> log.println("[Argo CD] " + line));
            SyncResult result;
            try {
                result = wait.get();
            } catch (InterruptedException e) {
                wait.cancel(false);
                application.record(run, "ABORTED", null, Messages.GitopsSyncBuilder_aborted());
                if (settings.terminateOnAbort) {
                    log.println(Messages.GitopsSyncStep_terminating(settings.applicationRef()));
                    try {
                        application.terminate().get(30, TimeUnit.SECONDS);
                    } catch (Exception terminateFailed) {
                        log.println(Messages.GitopsSyncStep_terminateFailed(
                                settings.applicationRef(), ApplicationSync.unwrap(terminateFailed).getMessage()));
                    }
                }
                throw e;
            } catch (ExecutionException e) {
                Throwable cause = ApplicationSync.forBuild(e.getCause());
                application.record(run, "FAILED", null, String.valueOf(cause.getMessage()));
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException(cause);
            }
            application.conclude(run, result, log);
            return result;
        }
    }

    /** Asks Argo CD to terminate the running operation (build aborted with {@code terminateOnAbort}). */
    CompletableFuture<Void> terminate() {
        return backend.terminate(settings.applicationRef());
    }

    /**
     * The "argocd" write-back: merges {@code override} into the application's source as {@code argocd app set} does.
     * Completes with whether the spec changed.
     */
    CompletableFuture<Boolean> override(SpecOverride override) {
        return backend.override(settings.applicationRef(), override);
    }

    /** Link to the application in the Argo CD UI; null through the Kubernetes API. */
    @CheckForNull
    String appUrl() {
        return appUrl;
    }

    /** Where the application was reached, for the log (never a credential). */
    String describe() {
        return backend.describe();
    }

    /** Records the end of a wait on the build page. */
    void record(Run<?, ?> run, String outcome, @CheckForNull SyncResult result, String message) throws IOException {
        Application app = result == null ? null : result.application();
        String syncStatus = app == null || app.status() == null ? null : String.valueOf(app.status().sync().status());
        String health = app == null || app.status() == null ? null : String.valueOf(app.status().health().status());
        GitopsDeploymentAction.of(run).recordSync(new GitopsDeploymentAction.Sync(
                settings.describeTarget(), settings.applicationRef().toString(), outcome,
                result == null ? null : result.revision(), syncStatus, health, message, appUrl));
    }

    /**
     * Records and logs how a wait ended. Returns normally when the application got there (or the sync was started
     * without waiting); otherwise fails with a message naming the resources at fault.
     */
    void conclude(Run<?, ?> run, SyncResult result, PrintStream log) throws IOException {
        record(run, result.outcome().name(), result, result.message());
        if (result.outcome() == SyncResult.Outcome.SYNCED || result.outcome() == SyncResult.Outcome.STARTED) {
            log.println("[Argo CD] " + result.message());
            return;
        }
        throw new AbortException(failureMessage(settings, result));
    }

    /** What {@code gitopsSync} returns to the Pipeline: plain strings and numbers only. */
    static Map<String, Object> returnValue(SyncSettings settings, SyncResult result) {
        Map<String, Object> value = new LinkedHashMap<>();
        Application app = result.application();
        value.put("app", settings.app);
        value.put("outcome", result.outcome().name());
        value.put("revision", result.revision());
        value.put("syncStatus", app == null || app.status() == null ? null : app.status().sync().status().name());
        value.put("health", app == null || app.status() == null ? null : app.status().health().status().name());
        value.put("message", result.message());
        value.put("elapsedSeconds", result.elapsed() == null ? 0L : result.elapsed().toSeconds());
        return value;
    }

    /** The failure message of a wait that did not succeed, naming the resources at fault. */
    private static String failureMessage(SyncSettings settings, SyncResult result) {
        StringBuilder message = new StringBuilder(Messages.ApplicationSync_failed(
                settings.applicationRef(), result.outcome(), result.message()));
        for (ResourceProblem problem : result.problems()) {
            message.append("\n  ").append(problem);
        }
        if (result.operationTerminated()) {
            message.append("\n").append(Messages.ApplicationSync_terminated());
        }
        return message.toString();
    }

    /** The cause of a failed future, without the CompletionException wrapper. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Argo CD refusals are expected failures: shown as a message, without a stack trace. */
    static Throwable forBuild(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof ArgoCdException ? new AbortException(cause.getMessage()) : cause;
    }

    @Override
    public void close() {
        if (kubernetes != null) {
            kubernetes.close();
        }
    }
}
