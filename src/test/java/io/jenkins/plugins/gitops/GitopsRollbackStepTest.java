package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * {@code gitopsRollback} (and its build step) against a real git server on loopback ({@code git-http-backend} behind
 * Basic auth) and the fake Argo CD, which resolves the application's branch in that repository.
 */
@WithJenkins
class GitopsRollbackStepTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "http-password-that-must-not-leak";
    private static final String IMAGE = "registry.example.com/guestbook";
    private static final String FILE = "apps/guestbook/kustomization.yaml";
    private static final String SYNC = "/api/v1/applications/guestbook/sync";

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    private Path servedRoot;

    private BareRepository config;
    private GitHttpServer git;
    private FakeArgoCd argo;
    private String token;

    private static String kustomization(String tag) {
        return """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                images:
                  - name: registry.example.com/guestbook
                    newTag: %s # set by CI
                """.formatted(tag);
    }

    @BeforeEach
    void start() throws Exception {
        config = BareRepository.create(servedRoot, "config.git", "main", Map.of(FILE, kustomization("1.0.0")));
        git = GitHttpServer.start(servedRoot, USER, PASSWORD);
        argo = FakeArgoCd.builder().gitRepository(config.path()).start();
        argo.createApp(FakeArgoCd.CONTROLLER_NAMESPACE, "guestbook", git.url("config.git"), "main").path("apps/guestbook");
        token = argo.issueToken(FakeArgoCd.USERNAME);
    }

    @AfterEach
    void stop() {
        argo.close(); // also fails the test on any request or response outside swagger.json
        git.close();
    }

    private void configure() throws Exception {
        SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
        provider.getCredentials().addAll(List.<Credentials>of(
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD),
                new StringCredentialsImpl(CredentialsScope.SYSTEM, "argocd-token", null, Secret.fromString(token))));
        provider.save();
        ArgoCdServer prod = new ArgoCdServer("prod", argo.url());
        prod.setCredentialsId("argocd-token");
        GitopsGlobalConfiguration.get().setArgoCdServers(List.of(prod));
    }

    @Test
    void rollsBackByApplicationNameAsANewCommitThenSyncsToIt(JenkinsRule j) throws Exception {
        configure();
        String bad = config.commitDirectly("main", Map.of(FILE, kustomization("1.1.0")), "Deploy 1.1.0");

        WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                node {
                  def r = gitopsRollback app: 'guestbook', image: '%s', credentialsId: 'config-repo', timeout: 120
                  echo "outcome=${r.outcome} from=${r.from} to=${r.to} undone=${r.undone} sha=${r.sha}"
                  echo "sync=${r.sync.outcome} revision=${r.sync.revision}"
                }
                """.formatted(IMAGE)));

        String head = config.commitOf("main");
        j.assertLogContains("outcome=ROLLED_BACK from=1.1.0 to=1.0.0 undone=" + bad + " sha=" + head, b);
        j.assertLogContains("sync=SYNCED revision=" + head, b);
        j.assertLogNotContains(PASSWORD, b);
        j.assertLogNotContains(token, b);
        assertThat(config.show("main", FILE)).isEqualTo(kustomization("1.0.0"));
        assertThat(config.subjects("main")).containsExactly("Roll back " + IMAGE + " from 1.1.0 to 1.0.0", "Deploy 1.1.0",
                "Initial config");
        assertThat(argo.requests("POST", SYNC)).hasSize(1);
        GitopsDeploymentAction action = b.getAction(GitopsDeploymentAction.class);
        assertThat(action.lastPushedCommit()).isEqualTo(head);
        assertThat(action.getSyncs()).singleElement().satisfies(sync -> assertThat(sync.getOutcome()).isEqualTo("SYNCED"));
    }

    @Test
    void nothingToRollBackToIsAnOutcomeOfItsOwnAndNeitherPushesNorSyncs(JenkinsRule j) throws Exception {
        configure();
        String tip = config.commitOf("main");

        WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                node {
                  def r = gitopsRollback app: 'guestbook', image: '%s', credentialsId: 'config-repo'
                  echo "outcome=${r.outcome} current=${r.from} sha=${r.sha} sync=${r.sync}"
                }
                """.formatted(IMAGE)));

        j.assertLogContains("outcome=NOTHING_TO_ROLL_BACK_TO current=1.0.0 sha=null sync=null", b);
        j.assertLogContains("Nothing to roll back to: ", b);
        assertThat(config.commitOf("main")).isEqualTo(tip);
        assertThat(git.pushes()).isZero();
        assertThat(argo.requests("POST", SYNC)).isEmpty();
    }

    @Test
    void freestyleBuildStepRollsARepositoryNamedByHandBackToAVersionWithoutSyncing(JenkinsRule j) throws Exception {
        configure();
        config.commitDirectly("main", Map.of(FILE, kustomization("1.1.0")), "Deploy 1.1.0");
        FreeStyleProject p = j.createFreeStyleProject();
        GitopsRollbackStep rollback = new GitopsRollbackStep(IMAGE);
        rollback.setRepo(git.url("config.git"));
        rollback.setCredentialsId("config-repo");
        rollback.setPath("apps/guestbook");
        rollback.setTo("0.9.${BUILD_NUMBER}"); // build variables are expanded in every argument
        rollback.setSync(false);
        p.getBuildersList().add(new GitopsRollbackBuilder(rollback));

        FreeStyleBuild b = j.buildAndAssertSuccess(p);

        j.assertLogContains("Rolled back " + IMAGE + " from 1.1.0 to 0.9.1", b);
        assertThat(config.show("main", FILE)).isEqualTo(kustomization("0.9.1"));
        assertThat(argo.requests("POST", SYNC)).isEmpty();
    }

    @Test
    void argumentsThatCannotWorkFailBeforeAnythingIsCloned(JenkinsRule j) throws Exception {
        configure();

        WorkflowRun noApp = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "no-app", """
                node { gitopsRollback repo: '%s', credentialsId: 'config-repo', image: '%s' }
                """.formatted(git.url("config.git"), IMAGE)));
        j.assertLogContains("gitopsRollback syncs the application afterwards: give app, or sync: false.", noApp);

        WorkflowRun badVersion = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "bad-version", """
                node { gitopsRollback app: 'guestbook', credentialsId: 'config-repo', image: '%s', to: '1.0 .0' }
                """.formatted(IMAGE)));
        j.assertLogContains("1.0 .0", badVersion);
        assertThat(argo.requests("GET", "/api/v1/applications/guestbook")).isEmpty();
        assertThat(git.pushes()).isZero();
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
