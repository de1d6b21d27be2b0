package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.git.SshClientKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * A Pipeline that names the Argo CD application only: {@code gitopsSetImage app:} reads the repository, branch and
 * path from the Application on the fake Argo CD (validated against swagger.json), clones from and pushes to a real git
 * server over HTTP, and {@code gitopsSync} without arguments syncs the application it named, waiting for one an
 * ApplicationSet has not generated yet when asked to.
 */
@WithJenkins
class ApplicationNameStepsTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "http-password-that-must-not-leak";
    private static final String IMAGE = "registry.example.com/guestbook";
    private static final String PROD = "apps/guestbook/overlays/prod/kustomization.yaml";
    private static final String STAGING = "apps/guestbook/overlays/staging/kustomization.yaml";
    private static final String VALUES = """
            image:
              repository: registry.example.com/guestbook
              tag: "1.0.0" # set by CI
            """;

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    private Path servedRoot;

    private BareRepository config;
    private GitHttpServer git;
    private FakeArgoCd argo;
    private String token;

    @BeforeEach
    void start() throws Exception {
        config = BareRepository.create(servedRoot, "config.git", "main", Map.of(
                PROD, kustomization("1.0.0"),
                STAGING, kustomization("1.0.0"),
                "charts/guestbook/Chart.yaml", "apiVersion: v2\nname: guestbook\nversion: 0.1.0\n",
                "charts/guestbook/values.yaml", VALUES,
                "charts/guestbook/values-prod.yaml", VALUES));
        git = GitHttpServer.start(servedRoot, USER, PASSWORD);
        argo = FakeArgoCd.builder().gitRepository(config.path()).start();
        token = argo.issueToken(FakeArgoCd.USERNAME);
    }

    @AfterEach
    void stop() {
        argo.close();
        git.close();
    }

    /** The Jenkins side: the git credential, the Argo CD token and the server "prod" an administrator configured. */
    private void configure() throws Exception {
        addCredentials(
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD),
                new StringCredentialsImpl(CredentialsScope.SYSTEM, "argocd-token", null, Secret.fromString(token)));
        ArgoCdServer prod = new ArgoCdServer("prod", argo.url());
        prod.setCredentialsId("argocd-token");
        GitopsGlobalConfiguration.get().setArgoCdServers(List.of(prod));
    }

    private void app(String name, Consumer<ObjectNode> source) {
        argo.createApp(FakeArgoCd.CONTROLLER_NAMESPACE, name, git.url(config.name()), "main")
                .edit(json -> source.accept(json.withObjectProperty("spec").withObjectProperty("source")));
    }

    @Test
    void setImageByApplicationNameEditsTheKustomizationItNamesAndSyncDefaultsToIt(JenkinsRule j) throws Exception {
        configure();
        app("guestbook", source -> source.put("path", "apps/guestbook/overlays/prod"));

        WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                node {
                  def changes = gitopsSetImage app: 'guestbook', server: 'prod', credentialsId: 'config-repo',
                                               image: '%s', tag: '1.5.0'
                  echo "changes=${changes.size()} file=${changes[0].file} new=${changes[0].newValue}"
                  gitopsPush message: 'Deploy ${image} ${newVersion}'
                }
                def r = gitopsSync()
                echo "app=${r.app} outcome=${r.outcome} revision=${r.revision}"
                """.formatted(IMAGE)));

        String head = config.commitOf("main");
        j.assertLogContains("changes=1 file=" + PROD + " new=1.5.0", b);
        j.assertLogContains("Application guestbook: " + git.url(config.name()) + " (branch main), apps/guestbook/overlays/prod", b);
        j.assertLogContains("app=guestbook outcome=SYNCED revision=" + head, b);
        j.assertLogNotContains(PASSWORD, b);
        j.assertLogNotContains(token, b);
        assertThat(config.subjects("main")).containsExactly("Deploy " + IMAGE + " 1.5.0", "Initial config");
        assertThat(config.filesChangedBy("main")).containsExactly(PROD);
        assertThat(config.show("main", PROD)).isEqualTo(kustomization("1.5.0"));
        assertThat(argo.requests("POST", "/api/v1/applications/guestbook/sync")).hasSize(1);
    }

    @Test
    void setImageByApplicationNameEditsTheHelmValueFilesItNames(JenkinsRule j) throws Exception {
        configure();
        app("guestbook", source -> source.put("path", "charts/guestbook")
                .putObject("helm").putArray("valueFiles").add("values-prod.yaml"));

        j.buildAndAssertSuccess(pipeline(j, """
                node {
                  gitopsSetImage app: 'guestbook', credentialsId: 'config-repo', image: '%s', tag: '1.5.0'
                  gitopsPush()
                }
                """.formatted(IMAGE)));

        assertThat(config.filesChangedBy("main")).containsExactly("charts/guestbook/values-prod.yaml");
        assertThat(config.show("main", "charts/guestbook/values-prod.yaml"))
                .isEqualTo(VALUES.replace("\"1.0.0\"", "\"1.5.0\""));
        assertThat(config.show("main", "charts/guestbook/values.yaml")).as("the chart's defaults, not named").isEqualTo(VALUES);
    }

    @Test
    void twoApplicationsInOneRepositoryAndBranchGoIntoOneCommitAndSyncDefaultsToTheLast(JenkinsRule j) throws Exception {
        configure();
        app("guestbook-prod", source -> source.put("path", "apps/guestbook/overlays/prod"));
        app("guestbook-staging", source -> source.put("path", "apps/guestbook/overlays/staging"));

        WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                node {
                  gitopsSetImage app: 'guestbook-prod', credentialsId: 'config-repo', image: '%1$s', tag: '2.0.0'
                  gitopsSetImage app: 'guestbook-staging', credentialsId: 'config-repo', image: '%1$s', tag: '2.0.0'
                  def pushed = gitopsPush message: 'Deploy ${image} ${newVersion}'
                  echo "changed=${pushed.changed}"
                }
                def r = gitopsSync()
                echo "app=${r.app} outcome=${r.outcome}"
                """.formatted(IMAGE)));

        j.assertLogContains("changed=true", b);
        j.assertLogContains("app=guestbook-staging outcome=SYNCED", b);
        assertThat(config.subjects("main")).containsExactly("Deploy " + IMAGE + " 2.0.0", "Initial config");
        assertThat(config.filesChangedBy("main")).containsExactlyInAnyOrder(PROD, STAGING);
        assertThat(argo.requests("POST", "/api/v1/applications/guestbook-prod/sync")).isEmpty();
        assertThat(argo.requests("POST", "/api/v1/applications/guestbook-staging/sync")).hasSize(1);
    }

    @Test
    void pathNarrowsAndBranchReplacesTheTagTheApplicationFollows(JenkinsRule j) throws Exception {
        configure();
        GitCli.run(config.path(), "tag", "v1.0", "main");
        app("overlays", source -> source.put("path", "apps/guestbook/overlays").put("targetRevision", "v1.0")
                .putObject("directory").put("recurse", true));

        j.buildAndAssertSuccess(pipeline(j, """
                node {
                  gitopsSetImage app: 'overlays', credentialsId: 'config-repo', branch: 'main',
                                 path: 'apps/guestbook/overlays/prod', image: '%s', tag: '3.0.0'
                  gitopsPush()
                }
                """.formatted(IMAGE)));
        WorkflowRun outside = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "outside", """
                node {
                  gitopsSetImage app: 'overlays', credentialsId: 'config-repo', branch: 'main',
                                 path: 'charts/guestbook', image: '%s', tag: '3.0.0'
                }
                """.formatted(IMAGE)));

        assertThat(config.filesChangedBy("main")).containsExactly(PROD);
        assertThat(config.show("main", PROD)).isEqualTo(kustomization("3.0.0"));
        assertThat(config.show("v1.0", PROD)).isEqualTo(kustomization("1.0.0"));
        j.assertLogContains("'charts/guestbook' is not within application 'overlays'", outside);
    }

    @Test
    void applicationsWhoseImageCannotBeEditedInGitFailTheStepSayingWhatToGiveInstead(JenkinsRule j) throws Exception {
        configure();
        Path keys = Files.createDirectories(servedRoot.resolve("keys"));
        SshClientKey key = SshClientKey.generate(keys, "jenkins", "");
        addCredentials(new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "config-ssh", "git",
                new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(key.privateKey()), "", null));
        app("from-chart-repo", source -> source.put("repoURL", "https://charts.example.org").put("chart", "guestbook")
                .put("targetRevision", "0.1.0").remove("path"));
        app("pinned", source -> source.put("path", "apps/guestbook/overlays/prod").put("targetRevision", config.commitOf("main")));
        app("over-https", source -> source.put("path", "apps/guestbook/overlays/prod"));
        String before = config.commitOf("main");

        WorkflowRun chart = j.buildAndAssertStatus(Result.FAILURE, setImage(j, "chart", "from-chart-repo", "config-repo"));
        WorkflowRun pinned = j.buildAndAssertStatus(Result.FAILURE, setImage(j, "sha", "pinned", "config-repo"));
        WorkflowRun ssh = j.buildAndAssertStatus(Result.FAILURE, setImage(j, "ssh", "over-https", "config-ssh"));

        j.assertLogContains("chart 'guestbook' from the Helm repository https://charts.example.org", chart);
        j.assertLogContains("write-back 'argocd'", chart);
        j.assertLogContains("pinned to the commit " + before, pinned);
        j.assertLogContains("Point the Application at a branch", pinned);
        j.assertLogContains("the credentials given are an SSH key: give HTTPS credentials", ssh);
        for (WorkflowRun b : List.of(chart, pinned, ssh)) {
            j.assertLogNotContains("\tat ", b); // a refusal, not a crash
        }
        assertThat(config.commitOf("main")).isEqualTo(before);
    }

    @Test
    void syncWaitsForAnApplicationThatAnApplicationSetGeneratesTwoSecondsLater(JenkinsRule j) throws Exception {
        configure();
        ScheduledExecutorService generator = Executors.newSingleThreadScheduledExecutor();
        try {
            generator.schedule(() -> app("guestbook-pr-7", source -> source.put("path", "apps/guestbook/overlays/prod")),
                    2, TimeUnit.SECONDS);

            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    def r = gitopsSync app: 'guestbook-pr-7', server: 'prod', waitForApp: '1m', timeout: 60
                    echo "outcome=${r.outcome}"
                    """));

            j.assertLogContains("Waiting up to 1 min for guestbook-pr-7 to exist on " + argo.url(), b);
            j.assertLogContains("outcome=SYNCED", b);
            assertThat(argo.requests("POST", "/api/v1/applications/guestbook-pr-7/sync")).hasSize(1);
        } finally {
            generator.shutdownNow();
        }
    }

    @Test
    void syncOfAnApplicationThatNeverAppearsFailsSayingSoAndSyncsNothing(JenkinsRule j) throws Exception {
        configure();

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, """
                gitopsSync app: 'never-generated', project: 'default', server: 'prod', waitForApp: '2s'
                """));

        j.assertLogContains("Application never-generated did not appear within 2 s on " + argo.url(), b);
        assertThat(argo.requests("POST", "/api/v1/applications/never-generated/sync")).isEmpty();
        GitopsDeploymentAction action = b.getAction(GitopsDeploymentAction.class);
        assertThat(action.getSyncs()).singleElement().extracting(GitopsDeploymentAction.Sync::getOutcome).isEqualTo("FAILED");
    }

    @Test
    void aBadWaitForAppFailsBeforeAnythingIsContacted(JenkinsRule j) throws Exception {
        configure();

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, """
                gitopsSync app: 'guestbook', waitForApp: 'soon'
                """));

        j.assertLogContains("waitForApp is refused: 'soon' is not a duration", b);
        assertThat(argo.requests()).isEmpty();
    }

    private WorkflowJob setImage(JenkinsRule j, String job, String app, String credentialsId) throws Exception {
        return pipeline(j, job, """
                node {
                  gitopsSetImage app: '%s', credentialsId: '%s', image: '%s', tag: '1.5.0'
                }
                """.formatted(app, credentialsId, IMAGE));
    }

    private static String kustomization(String tag) {
        return """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../base
                images:
                  - name: registry.example.com/guestbook
                    newTag: "%s" # pinned by CI
                """.formatted(tag);
    }

    private static void addCredentials(Credentials... credentials) throws Exception {
        SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
        provider.getCredentials().addAll(List.of(credentials));
        provider.save();
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
