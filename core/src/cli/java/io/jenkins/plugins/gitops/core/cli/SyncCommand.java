package io.jenkins.plugins.gitops.core.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationAppearance;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.argocd.ApplicationNotFoundException;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdClient;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdCredentials;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdException;
import io.jenkins.plugins.gitops.core.argocd.AuthenticationFailedException;
import io.jenkins.plugins.gitops.core.argocd.HealthStatusCode;
import io.jenkins.plugins.gitops.core.argocd.InvalidRequestException;
import io.jenkins.plugins.gitops.core.argocd.PermissionDeniedException;
import io.jenkins.plugins.gitops.core.argocd.ResourceProblem;
import io.jenkins.plugins.gitops.core.argocd.SyncRequest;
import io.jenkins.plugins.gitops.core.argocd.SyncResult;
import io.jenkins.plugins.gitops.core.argocd.SyncWaiter;
import io.jenkins.plugins.gitops.core.argocd.WaitRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gitops sync}: syncs an Argo CD application and waits until it runs the expected commit, Synced and Healthy. */
@Command(
        name = "sync",
        header = "Sync an Argo CD application and wait until it runs a commit",
        mixinStandardHelpOptions = true,
        versionProvider = GitopsCommand.Version.class,
        sortOptions = false,
        description = {
            "Sync an Argo CD application and wait until it is Synced and Healthy, at the expected commit when"
                    + " --revision is given. Progress goes to stderr; the outcome to stdout (--json for JSON).",
            "Server: --server, else $ARGOCD_SERVER (host[:port], HTTPS unless --plaintext). Credentials: --token"
                    + " (alias --auth-token), --token-file, or --username with --password-file; else $GITOPS_ARGOCD_TOKEN,"
                    + " else $ARGOCD_AUTH_TOKEN."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:synced and healthy (with --no-wait: sync started)",
            "1:unexpected failure (server unreachable or failing, a bug)",
            "2:bad input: an option, or the application does not exist",
            "6:authentication or permission refused by Argo CD",
            "7:the sync failed, the app became Degraded, or Argo CD refused the sync (e.g. a sync window)",
            "8:timed out before the app was done (with --wait-for-app: or before it existed)"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  # as with the argocd CLI: the server and token from the environment",
            "  export ARGOCD_SERVER=argocd.example.org ARGOCD_AUTH_TOKEN=...",
            "  gitops sync guestbook",
            "",
            "  # wait for the commit just pushed, at most 10 minutes",
            "  gitops sync guestbook --server argocd.example.org --token-file token.txt \\",
            "      --revision \"$SHA\" --timeout 10m --terminate-on-timeout",
            "",
            "  # through the Kubernetes API (the Application resource), no Argo CD token",
            "  gitops sync guestbook --kube --revision \"$SHA\""
        })
public final class SyncCommand implements Callable<Integer> {

    static final String TOKEN_VARIABLE = ArgoCdConnection.TOKEN_VARIABLE;
    static final String PASSWORD_VARIABLE = "GITOPS_ARGOCD_PASSWORD";
    static final String ARGOCD_SERVER_VARIABLE = ArgoCdConnection.ARGOCD_SERVER_VARIABLE;
    static final String ARGOCD_TOKEN_VARIABLE = ArgoCdConnection.ARGOCD_TOKEN_VARIABLE;
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,64}");

    private final Environment environment;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "The application to sync (or --app).")
    String appArgument;

    @Option(names = "--app", paramLabel = "NAME", description = "The application to sync (or the APP argument).")
    String appOption;

    @Option(names = "--server", paramLabel = "URL", converter = SecretInput.Url.class,
            description = "The Argo CD API server: https://host[:port], http://host[:port], or host[:port] as the argocd"
                    + " CLI takes it (default: $" + ARGOCD_SERVER_VARIABLE + ").")
    String server;

    @Option(names = "--plaintext", description = "A server given as host[:port] speaks plain HTTP, not HTTPS (as argocd --plaintext).")
    boolean plaintext;

    @Option(names = "--app-namespace", paramLabel = "NS",
            description = "The namespace of the Application, when not Argo CD's own (apps in any namespace).")
    String appNamespace;

    @Option(names = "--project", paramLabel = "PROJECT",
            description = "The application's project; makes a missing app report 'not found' instead of 'permission denied'.")
    String project;

    @Option(names = {"--token", "--auth-token"}, paramLabel = "TOKEN", converter = SecretInput.Value.class,
            description = "An Argo CD account or project token. Visible to other local users in the process list:"
                    + " prefer --token-file, $" + TOKEN_VARIABLE + " or $" + ARGOCD_TOKEN_VARIABLE + ".")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the token.")
    Path tokenFile;

    @Option(names = "--username", paramLabel = "USER", description = "Log in as this local Argo CD user instead of a token.")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD", converter = SecretInput.Value.class,
            description = "The user's password (visible in the process list: prefer --password-file or $"
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

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait, e.g. 300s, 5m, 1h; a plain number is seconds (default: 5m).")
    Duration timeout;

    @Option(names = "--health", paramLabel = "STATE", split = ",",
            description = "Health states that count as done, e.g. Healthy,Suspended (default: Healthy).")
    List<String> health = new ArrayList<>();

    @Option(names = "--wait-for-app", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait this long for the application to exist before syncing, e.g. 5m: an ApplicationSet"
                    + " generates it from the commit just pushed (default: fail at once when it does not exist).")
    Duration waitForApp;

    @Option(names = "--terminate-on-timeout", description = "Terminate the running sync operation when the timeout hits.")
    boolean terminateOnTimeout;

    @Option(names = "--no-wait", description = "Return as soon as the sync is started.")
    boolean noWait;

    @Option(names = "--json", description = "Print the outcome as one JSON object on stdout.")
    boolean json;

    // Kubernetes API path (package kube): replaces --server and the Argo CD credentials.
    @Mixin
    KubernetesSyncOptions kubernetes;

    SyncCommand(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        Console console = Console.of(spec, json);
        String app;
        WaitRequest request;
        ArgoCdCredentials credentials;
        URI serverUri;
        HttpClient.Builder http;
        try {
            app = app();
            kubernetes.validate();
            if (kubernetes.enabled()) {
                String argoCdOption = server != null ? "--server" : token != null ? "--token"
                        : tokenFile != null ? "--token-file" : username != null ? "--username" : null;
                if (argoCdOption != null) {
                    throw new IllegalArgumentException(argoCdOption + ": the Kubernetes API path (--kube, --kubeconfig)"
                            + " takes no Argo CD server or credentials; give one or the other");
                }
                serverUri = null;
                credentials = null;
            } else {
                serverUri = ArgoCdConnection.serverUri(server, plaintext, environment);
                credentials = credentials();
            }
            request = waitRequest(app);
            http = ArgoCdConnection.httpClient(insecure, caFile);
        } catch (IllegalArgumentException e) {
            return console.fail(Failure.badArgument(e.getMessage()), appField(appArgument != null ? appArgument : appOption));
        }
        ObjectNode appField = appField(app);
        ExecutorService httpExecutor = Executors.newFixedThreadPool(2, ArgoCdConnection.daemon("gitops-http"));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, ArgoCdConnection.daemon("gitops-sync"));
        try {
            ApplicationBackend backend = kubernetes.enabled() ? kubernetes.backend(httpExecutor)
                    : new ArgoCdClient(serverUri, credentials, http.executor(httpExecutor).build());
            if (waitForApp != null) {
                Optional<Integer> notThere = awaitApplication(console, backend, request.app(), scheduler, appField);
                if (notThere.isPresent()) {
                    return notThere.get();
                }
            }
            SyncWaiter waiter = new SyncWaiter(backend, scheduler);
            SyncResult result = waiter.await(request, console::message);
            return report(console, app, result);
        } catch (PermissionDeniedException e) {
            if (e.serverMessage() != null && e.serverMessage().contains("sync window")) {
                return console.fail(new Failure(ExitCode.SYNC_FAILED, "sync-refused", e.getMessage()), appField);
            }
            return console.fail(new Failure(ExitCode.AUTH_FAILED, "auth-failed", e.getMessage()), appField);
        } catch (AuthenticationFailedException e) {
            return console.fail(new Failure(ExitCode.AUTH_FAILED, "auth-failed", e.getMessage()), appField);
        } catch (ApplicationNotFoundException e) {
            return console.fail(new Failure(ExitCode.BAD_INPUT, "app-not-found", e.getMessage()), appField);
        } catch (IllegalArgumentException e) {
            return console.fail(Failure.badArgument(e.getMessage()), appField);
        } catch (InvalidRequestException e) {
            return console.fail(new Failure(ExitCode.SYNC_FAILED, "sync-refused", e.getMessage()), appField);
        } catch (ArgoCdException e) {
            return console.fail(new Failure(ExitCode.FAILURE, "argocd-unavailable", e.getMessage()), appField);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return console.fail(new Failure(ExitCode.FAILURE, "interrupted", "interrupted while waiting"), appField);
        } finally {
            kubernetes.close();
            scheduler.shutdownNow();
            httpExecutor.shutdownNow();
        }
    }

    /**
     * Waits for an application an ApplicationSet has not generated yet. Empty when it appeared; else the exit code of
     * the distinct outcome "did not appear" (a timeout, exit 8).
     */
    private Optional<Integer> awaitApplication(Console console, ApplicationBackend backend, ApplicationRef ref,
                                               ScheduledExecutorService scheduler, ObjectNode appField)
            throws InterruptedException {
        console.message("waiting up to " + waitForApp.toSeconds() + "s for application " + ref + " to exist");
        try {
            ApplicationAppearance.await(backend, ref, waitForApp, ApplicationAppearance.DEFAULT_INTERVAL, scheduler,
                    Clock.systemUTC()).get();
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApplicationNotFoundException missing) {
                return Optional.of(console.fail(new Failure(ExitCode.TIMEOUT, "app-did-not-appear", missing.getMessage()),
                        appField));
            }
            if (e.getCause() instanceof RuntimeException other) {
                throw other;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private String app() {
        if (appArgument != null && appOption != null && !appArgument.equals(appOption)) {
            throw new IllegalArgumentException("APP: '" + appArgument + "' and --app '" + appOption + "' name two"
                    + " applications; give one");
        }
        String app = appArgument != null ? appArgument : appOption;
        if (app == null || app.isBlank()) {
            throw new IllegalArgumentException("APP: name the application to sync (gitops sync APP, or --app NAME)");
        }
        return app;
    }

    private static ObjectNode appField(String app) {
        return JsonNodeFactory.instance.objectNode().put("app", app);
    }

    private int report(Console console, String app, SyncResult result) {
        ExitCode exit = switch (result.outcome()) {
            case SYNCED, STARTED -> ExitCode.OK;
            case FAILED -> ExitCode.SYNC_FAILED;
            case TIMED_OUT -> ExitCode.TIMEOUT;
        };
        if (console.json()) {
            ObjectNode node = Console.object(result.outcome().name(), exit);
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
            console.result(node);
        } else {
            console.result(app + ": " + result.message());
            for (ResourceProblem p : result.problems()) {
                console.result("  " + p);
            }
        }
        return exit.code();
    }

    private WaitRequest waitRequest(String app) {
        if (revision != null && !SHA.matcher(revision.strip()).matches()) {
            throw new IllegalArgumentException("--revision: '" + revision + "' is not a commit SHA (7 to 64 hex digits)");
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
                default -> throw new IllegalArgumentException("--strategy: '" + strategy + "' is neither apply nor hook");
            }, force));
        } else if (force) {
            throw new IllegalArgumentException("--force: needs --strategy apply or --strategy hook");
        }
        return new WaitRequest(new ApplicationRef(app, appNamespace, project), revision, sync, null, accepted,
                timeout, terminateOnTimeout, !noWait, null);
    }

    private static HealthStatusCode healthState(String text) {
        for (HealthStatusCode code : HealthStatusCode.values()) {
            if (code.name().equalsIgnoreCase(text.strip())) {
                return code;
            }
        }
        throw new IllegalArgumentException("--health: '" + text + "' is not one of Healthy, Progressing, Degraded,"
                + " Suspended, Missing, Unknown");
    }

    /**
     * The options first, then the tool's variables ({@code GITOPS_ARGOCD_TOKEN}, {@code GITOPS_ARGOCD_PASSWORD}),
     * then the argocd CLI's {@code ARGOCD_AUTH_TOKEN}.
     */
    private ArgoCdCredentials credentials() {
        if (username != null) {
            if (token != null || tokenFile != null) {
                throw new IllegalArgumentException("--username: give either a token (--token, --token-file) or"
                        + " --username, not both");
            }
            String secret = password;
            if (passwordFile != null) {
                if (password != null) {
                    throw new IllegalArgumentException("--password-file: give either --password or --password-file,"
                            + " not both");
                }
                secret = ArgoCdConnection.readSecret(passwordFile, "--password-file");
            }
            if (secret == null) {
                secret = environment.get(PASSWORD_VARIABLE).orElse(null);
            }
            if (secret == null) {
                throw new IllegalArgumentException("--username: needs --password-file, --password or $"
                        + PASSWORD_VARIABLE);
            }
            return new ArgoCdCredentials.Login(username, secret);
        }
        if (password != null || passwordFile != null) {
            throw new IllegalArgumentException((password != null ? "--password" : "--password-file")
                    + ": needs --username");
        }
        return ArgoCdConnection.token(token, tokenFile, environment, ", or --username with --password-file");
    }

}
