package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdClient;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.argocd.Refresh;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the commands that name an application ({@code update --app}, {@code set-image --app}, {@code rollback}) read
 * it: the Argo CD API server with a token, or the Application resource through the Kubernetes API. The same options,
 * variables and refusals as {@code gitops sync} ({@link ArgoCdConnection}); a user name and password login is
 * {@code sync}'s only, since these commands' {@code --username} is git's.
 */
final class ArgoCdOptions implements AutoCloseable {

    private static final long CALL_TIMEOUT_SECONDS = 120;

    private final Environment environment;

    @Option(names = "--server", paramLabel = "URL", converter = SecretInput.Url.class, order = 90,
            description = "With --app: the Argo CD API server, https://host[:port] or host[:port] (default: $"
                    + ArgoCdConnection.ARGOCD_SERVER_VARIABLE + ").")
    String server;

    @Option(names = "--plaintext", order = 91, description = "A server given as host[:port] speaks plain HTTP.")
    boolean plaintext;

    @Option(names = {"--token", "--auth-token"}, paramLabel = "TOKEN", converter = SecretInput.Value.class, order = 92,
            description = "An Argo CD token (visible in the process list: prefer --token-file, $"
                    + ArgoCdConnection.TOKEN_VARIABLE + " or $" + ArgoCdConnection.ARGOCD_TOKEN_VARIABLE + ").")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", order = 93, description = "A file holding the Argo CD token.")
    Path tokenFile;

    @Option(names = "--ca-file", paramLabel = "PEM", order = 94, description = "Trust the Argo CD certificate issued by this CA.")
    Path caFile;

    @Option(names = "--insecure", order = 95, description = "Accept any Argo CD certificate (test servers only).")
    boolean insecure;

    @Option(names = "--app-namespace", paramLabel = "NS", order = 96,
            description = "The namespace of the Application, when not Argo CD's own.")
    String appNamespace;

    @Option(names = "--project", paramLabel = "PROJECT", order = 97,
            description = "The application's project; a missing app is then 'not found', not 'permission denied'.")
    String project;

    @Mixin
    KubernetesSyncOptions kubernetes;

    private ExecutorService calls;

    ArgoCdOptions(Environment environment) {
        this.environment = environment;
    }

    /** Whether any option of this group was given: then it must be used. */
    boolean given() {
        return server != null || token != null || tokenFile != null || caFile != null || insecure || plaintext
                || appNamespace != null || project != null || kubernetes.enabled();
    }

    ApplicationRef ref(String app) {
        return new ApplicationRef(app, appNamespace, project);
    }

    /**
     * The backend, checked and connected; closed by {@link #close()}.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    ApplicationBackend backend() {
        kubernetes.validate();
        calls = Executors.newFixedThreadPool(2, ArgoCdConnection.daemon("gitops-http"));
        if (kubernetes.enabled()) {
            String argoCdOption = server != null ? "--server" : token != null ? "--token" : tokenFile != null ? "--token-file" : null;
            if (argoCdOption != null) {
                throw new IllegalArgumentException(argoCdOption + ": the Kubernetes API path (--kube, --kubeconfig)"
                        + " takes no Argo CD server or token; give one or the other");
            }
            return kubernetes.backend(calls);
        }
        return new ArgoCdClient(ArgoCdConnection.serverUri(server, plaintext, environment),
                ArgoCdConnection.token(token, tokenFile, environment, ""),
                ArgoCdConnection.httpClient(insecure, caFile).executor(calls).build());
    }

    /** Reads the application as stored (no refresh). */
    static Application read(ApplicationBackend backend, ApplicationRef app) throws InterruptedException {
        return await(backend.get(app, Refresh.NONE).thenApply(a -> a), app);
    }

    /** The result of a backend call, its {@link ArgoCdException} unwrapped. */
    static <T> T await(java.util.concurrent.CompletableFuture<T> call, ApplicationRef app) throws InterruptedException {
        try {
            return call.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Argo CD did not answer about " + app + " within " + CALL_TIMEOUT_SECONDS + "s");
        }
    }

    @Override
    public void close() {
        kubernetes.close();
        if (calls != null) {
            calls.shutdownNow();
        }
    }
}
