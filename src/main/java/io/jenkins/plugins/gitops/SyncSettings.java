package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import io.jenkins.plugins.gitops.core.DurationText;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.HealthStatusCode;
import io.jenkins.plugins.gitops.core.argocd.SyncRequest;
import io.jenkins.plugins.gitops.core.argocd.WaitRequest;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The arguments of one Argo CD sync-and-wait, for {@link GitopsSyncStep} and the {@link GitopsSyncBuilder} that holds it.
 * Checked when built, so that a typo fails the build before anything is contacted. It holds ids and names only,
 * never a secret: the Pipeline step keeps it in its program state to resume after a restart.
 * (A plain class: Pipeline's program state serialisation does not handle records.)
 */
final class SyncSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Where the application is reached. */
    enum Target {
        /** A server of the global configuration. */
        SERVER,
        /** An Argo CD URL with a job credential. */
        URL,
        /** The Kubernetes API with a kubeconfig from a secret file credential. */
        KUBECONFIG,
        /** The Kubernetes API with the controller's in-cluster service account or its own kubeconfig. */
        IN_CLUSTER
    }

    final String app;
    final Target target;
    final String server;
    final String url;
    final String credentialsId;
    final String kubeconfigCredentialsId;
    final String namespace;
    final String project;
    final String revision;
    final int timeoutSeconds;
    final boolean prune;
    final boolean dryRun;
    final List<String> syncOptions;
    final WaitRequest.Trigger trigger;
    final Set<HealthStatusCode> health;
    final boolean terminateOnAbort;
    final boolean terminateOnTimeout;
    /** How long to wait for the application to exist before syncing; null to fail at once when it does not. */
    @CheckForNull
    final Duration waitForApp;

    private SyncSettings(SyncArguments a, @CheckForNull GitopsDeploymentAction.ApplicationTarget last)
            throws AbortException {
        String givenApp = Util.fixEmptyAndTrim(a.getApp());
        // Without an app, the one this build's last gitopsSetImage app: named, reached the same way unless told otherwise.
        boolean defaulted = givenApp == null && last != null;
        app = defaulted ? last.getApp() : givenApp;
        if (app == null) {
            throw new AbortException(Messages.SyncSettings_appRequired());
        }
        boolean reachGiven = Util.fixEmptyAndTrim(a.getServer()) != null || Util.fixEmptyAndTrim(a.getUrl()) != null
                || Util.fixEmptyAndTrim(a.getKubeconfigCredentialsId()) != null || a.isKubernetes();
        boolean reachDefaulted = defaulted && !reachGiven;
        String givenServer = reachDefaulted ? last.getServer() : Util.fixEmptyAndTrim(a.getServer());
        url = Util.fixEmptyAndTrim(a.getUrl());
        if (url != null) {
            // Credentials come from Jenkins: no user information in the URL, which is printed and kept in build.xml.
            String problem = ArgoCdServer.urlProblem(url);
            if (problem != null) {
                throw new AbortException(Messages.SyncSettings_badUrl(problem));
            }
        }
        credentialsId = Util.fixEmptyAndTrim(a.getCredentialsId());
        kubeconfigCredentialsId = reachDefaulted
                ? last.getKubeconfigCredentialsId()
                : Util.fixEmptyAndTrim(a.getKubeconfigCredentialsId());
        target = target(givenServer, reachDefaulted ? last.isKubernetes() : a.isKubernetes());
        // Resolved now, so that a resumed sync keeps talking to the same server.
        server = target == Target.SERVER && givenServer == null
                ? GitopsGlobalConfiguration.get().getArgoCdServers().get(0).getName()
                : givenServer;
        String givenNamespace = Util.fixEmptyAndTrim(a.getNamespace());
        namespace = givenNamespace == null && defaulted ? last.getNamespace() : givenNamespace;
        project = Util.fixEmptyAndTrim(a.getProject());
        revision = Util.fixEmptyAndTrim(a.getRevision());
        prune = a.isPrune();
        dryRun = a.isDryRun();
        syncOptions = split(a.getSyncOptions());
        trigger = trigger(a.getSyncMode());
        health = health(a.getHealth());
        terminateOnAbort = a.isTerminateOnAbort();
        terminateOnTimeout = a.isTerminateOnTimeout();
        if (a.getTimeout() < 0) {
            throw new AbortException(Messages.SyncSettings_timeoutNegative(a.getTimeout()));
        }
        timeoutSeconds = a.getTimeout() > 0 ? a.getTimeout() : defaultTimeout();
        String wait = Util.fixEmptyAndTrim(a.getWaitForApp());
        try {
            waitForApp = wait == null ? null : DurationText.parse(wait);
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.SyncSettings_badWaitForApp(e.getMessage()));
        }
    }

    /** Checks the arguments of a step or build step. */
    static SyncSettings of(SyncArguments arguments) throws AbortException {
        return new SyncSettings(arguments, null);
    }

    /**
     * Checks the arguments of {@code gitopsSync}: without an app, the app of the build's last
     * {@code gitopsSetImage app:} (and, when no server or Kubernetes option is given either, where it was reached).
     */
    static SyncSettings of(SyncArguments arguments, Run<?, ?> run) throws AbortException {
        // Read only: a build whose arguments are refused gets no deployment action.
        GitopsDeploymentAction action = run.getAction(GitopsDeploymentAction.class);
        return new SyncSettings(arguments, action == null ? null : action.lastApplication());
    }

    /** The application and where it is reached, as the build records it for a later {@code gitopsSync}. */
    GitopsDeploymentAction.ApplicationTarget applicationTarget() {
        return new GitopsDeploymentAction.ApplicationTarget(app, namespace, target == Target.SERVER ? server : null,
                kubeconfigCredentialsId, target == Target.IN_CLUSTER);
    }

    /** The global server this sync uses, for {@link Target#SERVER}. */
    ArgoCdServer globalServer() throws AbortException {
        ArgoCdServer found = GitopsGlobalConfiguration.get().findServer(server);
        if (found == null) {
            throw new AbortException(Messages.SyncSettings_unknownServer(server, serverNames()));
        }
        return found;
    }

    ApplicationRef applicationRef() {
        return new ApplicationRef(app, namespace, project);
    }

    /**
     * What to ask the waiter for, with the time left before this sync's deadline.
     *
     * @param operationId marks the sync operation; the same id after a restart makes the waiter follow the operation
     *     it started before instead of syncing again
     */
    WaitRequest waitRequest(@CheckForNull String expectedRevision, Duration remaining, String operationId) {
        SyncRequest sync = SyncRequest.defaults().withPrune(prune).withDryRun(dryRun);
        if (!syncOptions.isEmpty()) {
            sync = sync.withSyncOptions(syncOptions);
        }
        return WaitRequest.of(applicationRef(), remaining)
                .withExpectedRevision(expectedRevision)
                .withSync(sync)
                .withTrigger(trigger)
                .withAcceptedHealth(health)
                .withTerminateOnTimeout(terminateOnTimeout)
                .withOperationId(operationId);
    }

    /** How this sync is pointed at, for the log and the build page; never a secret. */
    String describeTarget() {
        return switch (target) {
            case SERVER -> server;
            case URL -> url;
            case KUBECONFIG -> Messages.SyncSettings_kubeconfigTarget(kubeconfigCredentialsId);
            case IN_CLUSTER -> Messages.SyncSettings_inClusterTarget();
        };
    }

    private Target target(String givenServer, boolean kubernetes) throws AbortException {
        int chosen = (givenServer != null ? 1 : 0) + (url != null ? 1 : 0) + (kubeconfigCredentialsId != null ? 1 : 0)
                + (kubernetes ? 1 : 0);
        if (chosen > 1) {
            throw new AbortException(Messages.SyncSettings_severalTargets());
        }
        if (url != null) {
            if (credentialsId == null) {
                throw new AbortException(Messages.SyncSettings_urlNeedsCredentials());
            }
            return Target.URL;
        }
        if (kubeconfigCredentialsId != null) {
            return Target.KUBECONFIG;
        }
        if (kubernetes) {
            return Target.IN_CLUSTER;
        }
        // With a single server configured, naming it is optional.
        if (givenServer == null && GitopsGlobalConfiguration.get().getArgoCdServers().size() != 1) {
            throw new AbortException(Messages.SyncSettings_noTarget(serverNames()));
        }
        return Target.SERVER;
    }

    private int defaultTimeout() {
        if (target == Target.SERVER) {
            ArgoCdServer configured = GitopsGlobalConfiguration.get().findServer(server);
            if (configured != null) {
                return configured.getTimeoutSeconds();
            }
        }
        return ArgoCdServer.DEFAULT_TIMEOUT_SECONDS;
    }

    private static String serverNames() {
        List<String> names = new ArrayList<>();
        for (ArgoCdServer s : GitopsGlobalConfiguration.get().getArgoCdServers()) {
            names.add(s.getName());
        }
        return names.isEmpty() ? Messages.SyncSettings_noServers() : String.join(", ", names);
    }

    static List<String> split(@CheckForNull String list) {
        List<String> items = new ArrayList<>();
        if (list != null) {
            for (String item : list.split("[,\\n]")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private static WaitRequest.Trigger trigger(@CheckForNull String mode) throws AbortException {
        String m = Util.fixEmptyAndTrim(mode);
        if (m == null || m.equals("auto")) {
            return WaitRequest.Trigger.SYNC_UNLESS_AUTOMATED;
        }
        if (m.equals("always")) {
            return WaitRequest.Trigger.SYNC;
        }
        if (m.equals("never")) {
            return WaitRequest.Trigger.WAIT_ONLY;
        }
        throw new AbortException(Messages.SyncSettings_badSyncMode(m));
    }

    private static Set<HealthStatusCode> health(@CheckForNull String list) throws AbortException {
        Set<HealthStatusCode> accepted = EnumSet.noneOf(HealthStatusCode.class);
        for (String item : split(list)) {
            HealthStatusCode code = null;
            for (HealthStatusCode candidate : HealthStatusCode.values()) {
                if (candidate.name().toLowerCase(Locale.ROOT).equals(item.toLowerCase(Locale.ROOT))) {
                    code = candidate;
                }
            }
            if (code == null) {
                throw new AbortException(Messages.SyncSettings_badHealth(item));
            }
            accepted.add(code);
        }
        return accepted.isEmpty() ? EnumSet.of(HealthStatusCode.Healthy) : accepted;
    }
}
