package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Fingerprint;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.StringParameterDefinition;
import hudson.model.Result;
import hudson.util.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeApplication;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationControllerSimulator;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;


class GitopsSyncStepTest {

    private static final String PREVIOUS = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";
    private static final String SHA = "4f1c2a9be0d3c5f6a7b8c9d0e1f2a3b4c5d6e7f8";
    private static final Duration BOUND = Duration.ofMinutes(2);

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private FakeArgoCd argo;
    private String token;

    @BeforeEach
    void startArgoCd() {
        // Apps created by a test settle Synced at PREVIOUS; the test then moves main to SHA (newCommit()), so the
        // build finds them OutOfSync, as after a push, and really syncs.
        argo = FakeArgoCd.builder().start();
        argo.setRevision("main", PREVIOUS);
        token = argo.issueToken(FakeArgoCd.USERNAME);
    }

    private void newCommit() {
        argo.setRevision("main", SHA);
    }

    @AfterEach
    void stopArgoCd() {
        argo.close(); // also fails the test on any request or response outside swagger.json
    }

    @Test
    void syncsAndWaitsUntilTheAppRunsTheExpectedRevision() throws Throwable {
        argo.createApp("guestbook");
        newCommit();
        sessions.then(j -> {
            configureServer("prod");
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    def r = gitopsSync server: 'prod', app: 'guestbook', revision: '%s', timeout: 120
                    echo "outcome=${r.outcome} revision=${r.revision} health=${r.health} sync=${r.syncStatus}"
                    """.formatted(SHA)));
            j.assertLogContains("outcome=SYNCED revision=" + SHA + " health=Healthy sync=Synced", b);
            j.assertLogNotContains(token, b);
            assertUseRecorded(SystemCredentialsProvider.getInstance().getCredentials().get(0), b);
            assertThat(argo.app("guestbook").operationsStarted()).isEqualTo(1);
            GitopsDeploymentAction.Sync recorded = b.getAction(GitopsDeploymentAction.class).getSyncs().get(0);
            assertThat(recorded.getOutcome()).isEqualTo("SYNCED");
            assertThat(recorded.getHealth()).isEqualTo("Healthy");
            assertThat(recorded.getAppUrl()).isEqualTo(argo.url() + "/applications/guestbook");
        });
    }

    @Test
    void freestyleBuildStepSyncsTheSameWay() throws Throwable {
        argo.createApp("guestbook").degradedAfterSync("CrashLoopBackOff: guestbook-ui");
        argo.createApp("api");
        newCommit();
        sessions.then(j -> {
            configureServer("prod");
            FreeStyleProject ok = j.createFreeStyleProject("ok");
            GitopsSyncStep api = new GitopsSyncStep("api");
            api.setServer("${SERVER}"); // build variables are expanded in every argument
            api.setRevision("${EXPECTED}");
            ok.getBuildersList().add(new GitopsSyncBuilder(api));
            ok.addProperty(new ParametersDefinitionProperty(
                    new StringParameterDefinition("SERVER", "prod"), new StringParameterDefinition("EXPECTED", SHA)));
            FreeStyleBuild synced = j.buildAndAssertSuccess(ok);
            j.assertLogContains("Synced to " + SHA, synced);
            j.assertLogNotContains(token, synced);

            FreeStyleProject degraded = j.createFreeStyleProject("degraded");
            GitopsSyncStep guestbook = new GitopsSyncStep("guestbook");
            guestbook.setRevision(SHA);
            degraded.getBuildersList().add(new GitopsSyncBuilder(guestbook));
            FreeStyleBuild failed = j.assertBuildStatus(Result.FAILURE, degraded.scheduleBuild2(0));
            j.assertLogContains("CrashLoopBackOff: guestbook-ui", failed);
        });
    }

    @Test
    void needsNoNodeAndUsesTheOnlyConfiguredServerByDefault() throws Throwable {
        argo.createApp("guestbook");
        newCommit();
        sessions.then(j -> {
            configureServer("only");
            // No node block: the step waits on the controller without an executor.
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    def r = gitopsSync app: 'guestbook', revision: '%s'
                    echo "outcome=${r.outcome}"
                    """.formatted(SHA)));
            j.assertLogContains("outcome=SYNCED", b);
        });
    }

    @Test
    void failsWhenTheAppTurnsDegradedNamingTheResource() throws Throwable {
        argo.createApp("guestbook").degradedAfterSync("Back-off pulling image registry.example.com/guestbook:9.9");
        newCommit();
        sessions.then(j -> {
            configureServer("prod");
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j,
                    "gitopsSync server: 'prod', app: 'guestbook', revision: '" + SHA + "', timeout: 120"));
            j.assertLogContains("Back-off pulling image registry.example.com/guestbook:9.9", b);
            j.assertLogContains("guestbook-ui", b);
            assertThat(b.getAction(GitopsDeploymentAction.class).getSyncs().get(0).getOutcome()).isEqualTo("FAILED");
        });
    }

    @Test
    void unknownServerFailsBeforeContactingAnything() throws Throwable {
        sessions.then(j -> {
            configureServer("prod");
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE,
                    pipeline(j, "gitopsSync server: 'production', app: 'guestbook'"));
            j.assertLogContains("No Argo CD server named production", b);
            j.assertLogContains("configured: prod", b);
            assertThat(argo.requests()).isEmpty();
        });
    }

    @Test
    void logsInWithAJobCredentialGivenByUrlAndMasksThePassword() throws Throwable {
        argo.createApp("guestbook");
        newCommit();
        sessions.then(j -> {
            UsernamePasswordCredentialsImpl login = new UsernamePasswordCredentialsImpl(
                    CredentialsScope.GLOBAL, "argocd-user", null, FakeArgoCd.USERNAME, FakeArgoCd.PASSWORD);
            SystemCredentialsProvider.getInstance().getCredentials().add(login);
            SystemCredentialsProvider.getInstance().save();
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    gitopsSync url: '%s', credentialsId: 'argocd-user', app: 'guestbook', revision: '%s'
                    """.formatted(argo.url(), SHA)));
            j.assertLogNotContains(FakeArgoCd.PASSWORD, b);
            assertThat(argo.requests("POST", "/api/v1/session")).hasSize(1);
            assertUseRecorded(login, b);
        });
    }

    @Test
    void abortStopsWaitingAndTerminatesTheOperationWhenAsked() throws Throwable {
        FakeApplication app = argo.createApp("guestbook").holdOperations();
        newCommit();
        sessions.then(j -> {
            configureServer("prod");
            WorkflowJob p = pipeline(j, "gitopsSync server: 'prod', app: 'guestbook', revision: '" + SHA
                    + "', timeout: 600, terminateOnAbort: true");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            app.await(json -> "Running".equals(json.at("/status/operationState/phase").asText()), BOUND);
            b.doStop();
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            j.assertLogContains("terminate the running operation of guestbook", b);
            assertThat(argo.requests("DELETE", "/api/v1/applications/guestbook/operation")).hasSize(1);
            assertThat(b.getAction(GitopsDeploymentAction.class).getSyncs().get(0).getOutcome()).isEqualTo("ABORTED");
        });
    }

    @Test
    void syncModeAlwaysSyncsAnAppAlreadyAtTheRevisionWhereTheDefaultReturnsAtOnce() throws Throwable {
        argo.createApp("guestbook"); // Synced and Healthy at PREVIOUS: nothing to do
        sessions.then(j -> {
            configureServer("prod");
            j.buildAndAssertSuccess(pipeline(j, "auto", "gitopsSync app: 'guestbook', revision: '" + PREVIOUS + "'"));
            assertThat(argo.requests("POST", "/api/v1/applications/guestbook/sync")).as("auto: already done").isEmpty();

            WorkflowRun always = j.buildAndAssertSuccess(pipeline(j, "always",
                    "gitopsSync app: 'guestbook', revision: '" + PREVIOUS + "', syncMode: 'always'"));
            assertThat(argo.requests("POST", "/api/v1/applications/guestbook/sync")).hasSize(1);
            assertThat(argo.app("guestbook").operationsStarted()).isEqualTo(1);
            assertThat(always.getAction(GitopsDeploymentAction.class).getSyncs().get(0).getOutcome()).isEqualTo("SYNCED");
        });
    }

    @Test
    void syncModeNeverWaitsWithoutSyncingAndTimesOutWhenNobodySyncs() throws Throwable {
        FakeApplication app = argo.createApp("guestbook");
        newCommit(); // OutOfSync at SHA, and not an auto-sync app: only a sync started elsewhere would end the wait
        sessions.then(j -> {
            configureServer("prod");
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j,
                    "gitopsSync app: 'guestbook', revision: '" + SHA + "', syncMode: 'never', timeout: 3"));
            assertThat(argo.requests("POST", "/api/v1/applications/guestbook/sync")).isEmpty();
            assertThat(app.operationsStarted()).isZero();
            assertThat(b.getAction(GitopsDeploymentAction.class).getSyncs().get(0).getOutcome()).isEqualTo("TIMED_OUT");
        });
    }

    @Test
    void anUnknownSyncModeFailsBeforeContactingArgoCd() throws Throwable {
        sessions.then(j -> {
            configureServer("prod");
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE,
                    pipeline(j, "gitopsSync app: 'guestbook', syncMode: 'sometimes'"));
            j.assertLogContains("Unknown syncMode sometimes: use auto, always or never.", b);
            assertThat(argo.requests()).isEmpty();
        });
    }

    @Test
    void aTimeoutTerminatesTheRunningOperationOnlyWithTerminateOnTimeout() throws Throwable {
        FakeApplication kept = argo.createApp("kept").holdOperations();
        FakeApplication stopped = argo.createApp("stopped").holdOperations();
        newCommit();
        sessions.then(j -> {
            configureServer("prod");
            WorkflowRun left = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "left",
                    "gitopsSync app: 'kept', revision: '" + SHA + "', timeout: 3"));
            WorkflowRun ended = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "ended",
                    "gitopsSync app: 'stopped', revision: '" + SHA + "', timeout: 3, terminateOnTimeout: true"));

            assertThat(argo.requests("DELETE", "/api/v1/applications/kept/operation")).isEmpty();
            assertThat(kept.json().at("/status/operationState/phase").asText()).as("left running").isEqualTo("Running");
            assertThat(left.getAction(GitopsDeploymentAction.class).getSyncs().get(0).getOutcome()).isEqualTo("TIMED_OUT");

            assertThat(argo.requests("DELETE", "/api/v1/applications/stopped/operation")).hasSize(1);
            stopped.await(json -> "Failed".equals(json.at("/status/operationState/phase").asText()), BOUND);
            j.assertLogContains("the operation was terminated", ended);
            assertThat(ended.getAction(GitopsDeploymentAction.class).getSyncs().get(0).getOutcome()).isEqualTo("TIMED_OUT");
        });
    }

    @Test
    void resumesWaitingAfterARestartOfJenkins() throws Throwable {
        FakeApplication app = argo.createApp("guestbook").holdOperations();
        newCommit();
        sessions.then(j -> {
            configureServer("prod");
            WorkflowJob p = pipeline(j, """
                    def r = gitopsSync server: 'prod', app: 'guestbook', revision: '%s', timeout: 600
                    echo "outcome=${r.outcome}"
                    """.formatted(SHA));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            app.await(json -> "Running".equals(json.at("/status/operationState/phase").asText()), BOUND);
            j.waitForMessage("Syncing guestbook", b);
        });
        app.releaseOperation();
        Thread.sleep(2000); // time that passes while Jenkins is down, and counts against the step's deadline
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("resuming the wait for guestbook", b);
            // The deadline is kept across the restart: the resumed wait has what was left of the 10 minutes (at least
            // the two seconds slept below less), not 10 more.
            List<Long> budgets = Pattern.compile("\\(up to (\\d+) min (\\d+) sec\\)").matcher(JenkinsRule.getLog(b)).results()
                    .map(m -> Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))).toList();
            assertThat(budgets).hasSize(2);
            assertThat(budgets.get(1)).isLessThanOrEqualTo(budgets.get(0) - 2);
            j.assertLogContains("outcome=SYNCED", b);
            j.assertLogNotContains(token, b);
            // The operation started before the restart counted: no second sync.
            assertThat(app.operationsStarted()).isEqualTo(1);
        });
    }

    @Test
    void syncsThroughTheKubernetesApiWithAKubeconfigCredential() throws Throwable {
        try (ApplicationCrServer cluster = ApplicationCrServer.start();
                KubernetesClient controllerClient = cluster.newClient();
                ApplicationControllerSimulator controller =
                        ApplicationControllerSimulator.start(cluster, controllerClient).resolving("main", SHA)) {
            cluster.create(ApplicationCrServer.exampleApplication("guestbook"));
            String clusterToken = "kube-token-that-must-not-leak-0123456789";
            String kubeconfig = cluster.kubeconfig(clusterToken);
            sessions.then(j -> {
                SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                        CredentialsScope.GLOBAL, "kubeconfig", null, "config",
                        SecretBytes.fromBytes(kubeconfig.getBytes(StandardCharsets.UTF_8))));
                SystemCredentialsProvider.getInstance().save();
                WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                        def r = gitopsSync kubeconfigCredentialsId: 'kubeconfig', app: 'guestbook', revision: '%s'
                        echo "outcome=${r.outcome}"
                        """.formatted(SHA)));
                j.assertLogContains("outcome=SYNCED", b);
                j.assertLogNotContains(clusterToken, b);
                assertThat(controller.finishedRuns()).hasSize(1);
            });
        }
    }

    @Test
    void theControllersOwnKubernetesIdentityIsRefusedUntilAnAdministratorAllowsIt() throws Throwable {
        sessions.then(j -> {
            assertThat(GitopsGlobalConfiguration.get().isInClusterAccess()).isFalse();
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE,
                    pipeline(j, "gitopsSync kubernetes: true, app: 'guestbook', revision: '" + SHA + "'"));
            j.assertLogContains("kubernetes: true acts with the Kubernetes identity of the Jenkins controller itself", b);
            j.assertLogContains("kubeconfigCredentialsId", b);
        });
    }

    @Test
    void aKubeconfigCredentialThatWouldRunACommandOnTheControllerIsRefusedAndNothingRuns(@TempDir Path dir)
            throws Throwable {
        Path marker = dir.resolve("exec-ran");
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                current-context: c
                contexts: [{name: c, context: {cluster: c, user: u}}]
                clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]
                users:
                - name: u
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, "touch '%s'"]}
                """.formatted(marker);
        sessions.then(j -> {
            SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(
                    CredentialsScope.GLOBAL, "kubeconfig", null, "config",
                    SecretBytes.fromBytes(kubeconfig.getBytes(StandardCharsets.UTF_8))));
            SystemCredentialsProvider.getInstance().save();
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j,
                    "gitopsSync kubeconfigCredentialsId: 'kubeconfig', app: 'guestbook', revision: '" + SHA + "'"));
            j.assertLogContains("The kubeconfig in credentials kubeconfig is refused", b);
            j.assertLogContains("user \"u\" sets exec, which runs a command", b);
            assertThat(marker).doesNotExist();
        });
    }

    /**
     * 200 waits at once on one controller share one HTTP client (one selector thread) and the plugin's few threads;
     * the thread counts are printed for the benchmark notes.
     */
    @Test
    void twoHundredConcurrentWaitsShareOneHttpClientAndThePluginsThreads() throws Throwable {
        int waits = 200;
        List<FakeApplication> apps = new ArrayList<>();
        for (int i = 0; i < waits; i++) {
            apps.add(argo.createApp("app-" + i).holdOperations());
        }
        newCommit();
        sessions.then(j -> {
            configureServer("prod");
            long selectorsBefore = threads("HttpClient-\\d+-SelectorManager");
            List<WorkflowRun> runs = new ArrayList<>();
            for (int i = 0; i < waits; i++) {
                WorkflowJob p = j.createProject(WorkflowJob.class, "p" + i);
                p.setDefinition(new CpsFlowDefinition(
                        "gitopsSync server: 'prod', app: 'app-" + i + "', revision: '" + SHA + "', timeout: 600", true));
                runs.add(p.scheduleBuild2(0).waitForStart());
            }
            for (FakeApplication app : apps) {
                app.await(json -> "Running".equals(json.at("/status/operationState/phase").asText()), BOUND);
            }
            long selectors = threads("HttpClient-\\d+-SelectorManager") - selectorsBefore;
            long scheduler = threads("GitOps Deploy sync waits.*");
            long blocking = threads("GitOps Deploy blocking calls.*");
            System.out.printf("%d waits: %d new HTTP client selector thread(s), %d scheduler, %d blocking-call threads,"
                    + " %d threads in the JVM%n", waits, selectors, scheduler, blocking, Thread.activeCount());
            assertThat(selectors).isLessThanOrEqualTo(1);
            assertThat(scheduler).isLessThanOrEqualTo(2);
            assertThat(blocking).isLessThanOrEqualTo(4);

            apps.forEach(FakeApplication::releaseOperation);
            for (WorkflowRun run : runs) {
                j.assertBuildStatusSuccess(j.waitForCompletion(run));
            }
        });
    }

    private static long threads(String namePattern) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches(namePattern))
                .count();
    }

    /** The credentials' usage page lists the build ({@code CredentialsProvider.track}, a fingerprint per credential). */
    private static void assertUseRecorded(Credentials credentials, WorkflowRun build) throws IOException {
        Fingerprint fingerprint = CredentialsProvider.getFingerprintOf(credentials);
        assertThat(fingerprint).as("a fingerprint of %s", credentials).isNotNull();
        assertThat(fingerprint.getJobs()).contains(build.getParent().getFullName());
        assertThat(fingerprint.getRangeSet(build.getParent()).includes(build.getNumber())).isTrue();
    }

    private void configureServer(String name) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new StringCredentialsImpl(CredentialsScope.SYSTEM, "argocd-token", null, Secret.fromString(token)));
        SystemCredentialsProvider.getInstance().save();
        ArgoCdServer server = new ArgoCdServer(name, argo.url());
        server.setCredentialsId("argocd-token");
        GitopsGlobalConfiguration.get().setArgoCdServers(List.of(server));
    }

    private static WorkflowJob pipeline(JenkinsRule j, String script) throws Exception {
        return pipeline(j, "p", script);
    }

    private static WorkflowJob pipeline(JenkinsRule j, String name, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }
}
