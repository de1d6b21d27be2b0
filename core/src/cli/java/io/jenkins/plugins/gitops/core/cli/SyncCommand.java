package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.argocd.ApplicationJson;
import io.jenkins.plugins.gitops.core.argocd.ApplicationNotFoundException;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdClient;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdCredentials;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdTls;
import io.jenkins.plugins.gitops.core.argocd.AuthenticationFailedException;
import io.jenkins.plugins.gitops.core.argocd.HealthStatusCode;
import io.jenkins.plugins.gitops.core.argocd.InvalidRequestException;
import io.jenkins.plugins.gitops.core.argocd.PermissionDeniedException;
import io.jenkins.plugins.gitops.core.argocd.ResourceProblem;
import io.jenkins.plugins.gitops.core.argocd.SyncRequest;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.core.argocd.SyncWaiter;
import io.jenkins.plugins.gitops.core.argocd.WaitRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gitops sync}: syncs an Argo CD application and waits until it runs the expected commit, Synced and Healthy. */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sync an Argo CD application and wait until it is Synced and Healthy, at the expected commit when"
                    + " --revision is given. Progress goes to stderr; the outcome to stdout (--json for JSON).",
            "Credentials: --token, --token-file, or the GITOPS_ARGOCD_TOKEN environment variable; or"
                    + " --username with --password-file (or GITOPS_ARGOCD_PASSWORD)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:synced and healthy (with --no-wait: sync started)",
            "1:unexpected failure (server unreachable or failing, a bug)",
            "2:bad input: an option, or the application does not exist",
            "6:authentication or permission refused by Argo CD",
            "7:the sync failed, the app became Degraded, or Argo CD refused the sync",
            "8:timed out before the app was done"
        })
public final class SyncCommand implements Callable<Integer> {

    static final String TOKEN_VARIABLE = "GITOPS_ARGOCD_TOKEN";
    static final String PASSWORD_VARIABLE = "GITOPS_ARGOCD_PASSWORD";
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,64}");

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", converter = SecretInput.Url.class,
            description = "The Argo CD API server, e.g. https://argocd.example.org (or --kube).")
    String server;

    @Option(names = "--app", required = true, paramLabel = "NAME", description = "The application to sync.")
    String app;

    @Option(names = "--app-namespace", paramLabel = "NS",
            description = "The namespace of the Application, when not Argo CD's own (apps in any namespace).")
    String appNamespace;

    @Option(names = "--project", paramLabel = "PROJECT",
            description = "The application's project; makes a missing app report 'not found' instead of 'permission denied'.")
    String project;

    @Option(names = "--token", paramLabel = "TOKEN", converter = SecretInput.Value.class,
            description = "An Argo CD account or project token. Visible to other local users in the process list:"
                    + " prefer --token-file or " + TOKEN_VARIABLE + ".")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the token.")
    Path tokenFile;

    @Option(names = "--username", paramLabel = "USER", description = "Log in as this local Argo CD user instead of a token.")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD", converter = SecretInput.Value.class,
            description = "The user's password (visible in the process list: prefer --password-file or "
                    + PASSWORD_VARIABLE + ").")
    String password;

    @Option(names = "--password-file", paramLabel = "FILE", description = "A file holding the password.")
    Path passwordFile;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "Trust the server certificate issued by this CA (PEM).")
    Path caFile;

    @Option(names = "--insecure", description = "Accept any server certificate (test servers only).")
    boolean insecure;

    @Option(names = "--revision", paramLabel = "SHA",
            description = "The commit that must end up deployed (typically the one just pushed). Without it, any"
                    + " revision the target resolves to counts.")
    String revision;

    @Option(names = "--prune", description = "Delete resources that are no longer in git.")
    boolean prune;

    @Option(names = "--dry-run", description = "Sync with kubectl --dry-run: nothing changes in the cluster.")
    boolean dryRun;

    @Option(names = "--sync-option", paramLabel = "OPTION",
            description = "A sync option, e.g. CreateNamespace=true; repeatable (default: the app's own).")
    List<String> syncOptions = new ArrayList<>();

    @Option(names = "--strategy", paramLabel = "apply|hook", description = "The sync strategy (default: hook).")
    String strategy;

    @Option(names = "--force", description = "With --strategy: delete and re-create resources that cannot be patched.")
    boolean force;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long to wait, e.g. 300s, 5m, 1h (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--health", paramLabel = "STATE", split = ",",
            description = "Health states that count as done, e.g. Healthy,Suspended (default: Healthy).")
    List<String> health = new ArrayList<>();

    @Option(names = "--terminate-on-timeout", description = "Terminate the running sync operation when the timeout hits.")
    boolean terminateOnTimeout;

    @Option(names = "--no-wait", description = "Return as soon as the sync is started.")
    boolean noWait;

    @Option(names = "--json", description = "Print the outcome as one JSON object on stdout.")
    boolean json;

    // Kubernetes API path (package kube): replaces --server and the Argo CD credentials.
    @Mixin
    KubernetesSyncOptions kubernetes;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        WaitRequest request;
        ArgoCdCredentials credentials;
        URI serverUri;
        HttpClient.Builder http;
        try {
            kubernetes.validate();
            if (kubernetes.enabled()) {
                if (server != null || token != null || tokenFile != null || username != null) {
                    throw new IllegalArgumentException("give either --server with Argo CD credentials, or --kube/"
                            + "--kubeconfig (the Kubernetes API), not both");
                }
                serverUri = null;
                credentials = null;
            } else {
                serverUri = serverUri();
                credentials = credentials();
            }
            request = waitRequest();
            http = httpClient();
        } catch (IllegalArgumentException e) {
            return fail(ExitCode.BAD_INPUT, "bad-argument", e.getMessage());
        }
        ExecutorService httpExecutor = Executors.newFixedThreadPool(2, daemon("gitops-http"));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, daemon("gitops-sync"));
        try {
            ApplicationBackend backend = kubernetes.enabled() ? kubernetes.backend(httpExecutor)
                    : new ArgoCdClient(serverUri, credentials, http.executor(httpExecutor).build());
            SyncWaiter waiter = new SyncWaiter(backend, scheduler);
            SyncResult result = waiter.await(request, line -> {
                err.println(line);
                err.flush();
            });
            return report(result);
        } catch (PermissionDeniedException e) {
            if (e.serverMessage() != null && e.serverMessage().contains("sync window")) {
                return fail(ExitCode.SYNC_FAILED, "sync-refused", e.getMessage());
            }
            return fail(ExitCode.AUTH_FAILED, "auth-failed", e.getMessage());
        } catch (AuthenticationFailedException e) {
            return fail(ExitCode.AUTH_FAILED, "auth-failed", e.getMessage());
        } catch (ApplicationNotFoundException e) {
            return fail(ExitCode.BAD_INPUT, "app-not-found", e.getMessage());
        } catch (IllegalArgumentException e) {
            return fail(ExitCode.BAD_INPUT, "bad-argument", e.getMessage());
        } catch (InvalidRequestException e) {
            return fail(ExitCode.SYNC_FAILED, "sync-refused", e.getMessage());
        } catch (ArgoCdException e) {
            return fail(ExitCode.FAILURE, "argocd-unavailable", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(ExitCode.FAILURE, "interrupted", "interrupted while waiting");
        } finally {
            kubernetes.close();
            scheduler.shutdownNow();
            httpExecutor.shutdownNow();
        }
    }

    private int report(SyncResult result) {
        ExitCode exit = switch (result.outcome()) {
            case SYNCED, STARTED -> ExitCode.OK;
            case FAILED -> ExitCode.SYNC_FAILED;
            case TIMED_OUT -> ExitCode.TIMEOUT;
        };
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = ApplicationJson.mapper().createObjectNode();
            node.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            node.put("exitCode", exit.code());
            node.put("app", app);
            node.put("message", result.message());
            node.put("revision", result.revision());
            Application last = result.application();
            if (last != null) {
                node.put("syncStatus", last.status().sync().status().name());
                node.put("health", last.status().health().status().name());
                var state = last.status().operationState();
                node.put("operationPhase", state == null ? null : state.phase().name());
            }
            ArrayNode problems = node.putArray("resources");
            for (ResourceProblem p : result.problems()) {
                problems.addObject().put("kind", p.kind()).put("namespace", p.namespace()).put("name", p.name())
                        .put("state", p.state()).put("message", p.message());
            }
            node.put("elapsedMillis", result.elapsed().toMillis());
            node.put("operationTerminated", result.operationTerminated());
            out.println(node.toString());
        } else {
            out.println(app + ": " + result.message());
            for (ResourceProblem p : result.problems()) {
                out.println("  " + p);
            }
        }
        out.flush();
        return exit.code();
    }

    private int fail(ExitCode exit, String problem, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("gitops sync: " + message);
        err.flush();
        if (json) {
            ObjectNode node = ApplicationJson.mapper().createObjectNode();
            node.put("outcome", "error").put("exitCode", exit.code()).put("problem", problem).put("app", app)
                    .put("message", message);
            PrintWriter out = spec.commandLine().getOut();
            out.println(node.toString());
            out.flush();
        }
        return exit.code();
    }

    private URI serverUri() {
        if (server == null) {
            throw new IllegalArgumentException("give --server URL (the Argo CD API server), or --kube/--kubeconfig"
                    + " (the Kubernetes API)");
        }
        try {
            URI uri = new URI(server.strip());
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))) {
                throw new IllegalArgumentException("--server '" + server + "' is not an http(s):// URL");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("--server must not contain credentials; use --token-file or"
                        + " --username/--password-file");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--server '" + server + "' is not a URL: " + e.getReason());
        }
    }

    private WaitRequest waitRequest() {
        if (revision != null && !SHA.matcher(revision.strip()).matches()) {
            throw new IllegalArgumentException("--revision '" + revision + "' is not a commit SHA (7 to 64 hex digits)");
        }
        Set<HealthStatusCode> accepted = EnumSet.noneOf(HealthStatusCode.class);
        for (String h : health) {
            accepted.add(healthState(h));
        }
        SyncRequest sync = SyncRequest.defaults().withPrune(prune).withDryRun(dryRun)
                .withSyncOptions(syncOptions.isEmpty() ? null : syncOptions);
        if (strategy != null) {
            sync = sync.withStrategy(new SyncRequest.Strategy(switch (strategy.strip().toLowerCase(Locale.ROOT)) {
                case "apply" -> SyncRequest.Strategy.Kind.APPLY;
                case "hook" -> SyncRequest.Strategy.Kind.HOOK;
                default -> throw new IllegalArgumentException("--strategy '" + strategy + "': expected apply or hook");
            }, force));
        } else if (force) {
            throw new IllegalArgumentException("--force needs --strategy apply or --strategy hook");
        }
        return new WaitRequest(new ApplicationRef(app, appNamespace, project), revision, sync, null, accepted,
                duration(timeout), terminateOnTimeout, !noWait, null);
    }

    private static HealthStatusCode healthState(String text) {
        for (HealthStatusCode code : HealthStatusCode.values()) {
            if (code.name().equalsIgnoreCase(text.strip())) {
                return code;
            }
        }
        throw new IllegalArgumentException("--health '" + text + "': expected one of Healthy, Progressing, Degraded,"
                + " Suspended, Missing, Unknown");
    }

    /** {@code 300}, {@code 300s}, {@code 5m}, {@code 1h}, {@code 1500ms}, or ISO-8601 ({@code PT5M}). */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("--timeout '" + text + "' must be positive");
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("--timeout '" + text + "' is not a duration (e.g. 300s, 5m, 1h)");
        }
    }

    private ArgoCdCredentials credentials() {
        String envToken = System.getenv(TOKEN_VARIABLE);
        if (username != null) {
            if (token != null || tokenFile != null) {
                throw new IllegalArgumentException("give either a token (--token, --token-file) or --username, not both");
            }
            String secret = password;
            if (passwordFile != null) {
                if (password != null) {
                    throw new IllegalArgumentException("give either --password or --password-file, not both");
                }
                secret = readSecret(passwordFile, "--password-file");
            }
            if (secret == null) {
                secret = System.getenv(PASSWORD_VARIABLE);
            }
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("--username needs --password-file, --password or "
                        + PASSWORD_VARIABLE);
            }
            return new ArgoCdCredentials.Login(username, secret);
        }
        if (password != null || passwordFile != null) {
            throw new IllegalArgumentException("--password and --password-file need --username");
        }
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("give either --token or --token-file, not both");
        }
        String secret = tokenFile != null ? readSecret(tokenFile, "--token-file") : token != null ? token : envToken;
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("no Argo CD credentials: give --token-file, --token, " + TOKEN_VARIABLE
                    + ", or --username with --password-file");
        }
        return new ArgoCdCredentials.Token(secret);
    }

    private static String readSecret(Path file, String option) {
        try {
            String secret = SecretInput.registered(Files.readString(file, StandardCharsets.UTF_8).strip());
            if (secret.isEmpty()) {
                throw new IllegalArgumentException(option + " '" + file + "' is empty");
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " '" + file + "' cannot be read: " + e.getMessage());
        }
    }

    private HttpClient.Builder httpClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (insecure && caFile != null) {
            throw new IllegalArgumentException("give either --insecure or --ca-file, not both");
        }
        if (insecure) {
            builder.sslContext(ArgoCdTls.insecure());
        } else if (caFile != null) {
            builder.sslContext(ArgoCdTls.trusting(caFile));
        }
        return builder;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
