package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitLab;
import io.jenkins.plugins.gitops.core.testing.forge.FakePullRequest;
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
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * {@code gitopsPush pullRequest: true, waitForMerge:} against the real git server and the fake GitLab API: the wait
 * ends with the merge commit, fails at once on a pull request closed unmerged, fails clearly at its deadline, and goes
 * on after a restart of Jenkins.
 */
class GitopsPushWaitForMergeTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "http-password-that-must-not-leak";
    private static final String IMAGE = "registry.example.com/guestbook";
    private static final String FILE = "apps/guestbook/kustomization.yaml";
    private static final String REPOSITORY = "example-org/config.git";
    private static final String POLL = PendingMerge.class.getName() + ".pollSeconds";

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    private Path servedRoot;

    private BareRepository config;
    private GitHttpServer server;
    private FakeGitLab gitlab;

    @BeforeEach
    void start() throws Exception {
        System.setProperty(POLL, "1"); // a read a second, so that no test waits the 15 s of the default
        config = BareRepository.create(servedRoot, REPOSITORY, "main", Map.of(FILE, kustomization("1.0.0")));
        server = GitHttpServer.start(servedRoot, USER, PASSWORD);
        gitlab = FakeGitLab.start("example-org/config");
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty(POLL);
        server.close();
        gitlab.close(); // also fails the test on a call outside the pinned description
    }

    @Test
    void waitsForTheMergeAndReturnsTheMergeCommitThatGitopsSyncThenExpects() throws Throwable {
        sessions.then(j -> {
            addCredentials();
            WorkflowRun b = pipeline(j, "waitForMerge: '10m'").scheduleBuild2(0).waitForStart();
            j.waitForMessage("to be merged", b);
            String mergeCommit = mergeThePullRequest();

            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("sha=" + mergeCommit + " merged=true", b);
            j.assertLogContains("was merged as " + mergeCommit, b);
            j.assertLogNotContains(FakeForge.TOKEN, b);
            GitopsDeploymentAction action = b.getAction(GitopsDeploymentAction.class);
            assertThat(action.lastPushedCommit()).isEqualTo(mergeCommit); // what gitopsSync waits for by default
            assertThat(action.getPushes().get(0).getCommit()).isEqualTo(config.commitOf("deploy/guestbook"));
            assertThat(action.getPushes().get(0).getMergeCommit()).isEqualTo(mergeCommit);
        });
    }

    @Test
    void aPullRequestClosedWithoutMergingFailsTheBuildAtOnce() throws Throwable {
        sessions.then(j -> {
            addCredentials();
            // A deadline far beyond the test's own timeout: only the closing can end this build in time.
            WorkflowRun b = pipeline(j, "waitForMerge: '2h'").scheduleBuild2(0).waitForStart();
            j.waitForMessage("to be merged", b);
            gitlab.closeUnmerged(gitlab.pulls().get(0).number());

            j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
            j.assertLogContains("was closed without being merged", b);
            j.assertLogNotContains("\tat ", b); // a reason, not a stack trace
            assertThat(config.show("main", FILE)).isEqualTo(kustomization("1.0.0"));
        });
    }

    @Test
    void aPullRequestStillOpenAtTheDeadlineFailsSayingSoAndStaysOpen() throws Throwable {
        sessions.then(j -> {
            addCredentials();
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "waitForMerge: '3s'"));
            j.assertLogContains("was still not merged after 3 s", b);
            j.assertLogContains("it stays open", b);
            assertThat(gitlab.pulls()).singleElement()
                    .satisfies(mr -> assertThat(mr.state()).isEqualTo(FakePullRequest.State.OPEN));
        });
    }

    @Test
    void resumesTheWaitAfterARestartOfJenkinsWithoutPushingAgain() throws Throwable {
        sessions.then(j -> {
            addCredentials();
            WorkflowRun b = pipeline(j, "waitForMerge: '10m'").scheduleBuild2(0).waitForStart();
            j.waitForMessage("to be merged", b);
        });
        String mergeCommit = mergeThePullRequest();
        int pushes = server.pushes();
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("Jenkins restarted: resuming the wait for the merge of", b);
            j.assertLogContains("sha=" + mergeCommit + " merged=true", b);
            j.assertLogNotContains(FakeForge.TOKEN, b);
            assertThat(server.pushes()).isEqualTo(pushes);
            assertThat(gitlab.pulls()).hasSize(1);
        });
    }

    @Test
    void freestyleBuildStepWaitsForTheMergeToo() throws Throwable {
        sessions.then(j -> {
            addCredentials();
            FreeStyleProject p = j.createFreeStyleProject();
            GitopsSetImageStep setImage = new GitopsSetImageStep(IMAGE);
            setImage.setRepo(server.url(REPOSITORY));
            setImage.setCredentialsId("config-repo");
            setImage.setPath("apps/guestbook");
            setImage.setTag("1.1.0");
            p.getBuildersList().add(new GitopsSetImageBuilder(setImage));
            GitopsPushStep push = new GitopsPushStep();
            push.setPullRequest(true);
            push.setPullRequestCredentialsId("gitlab-token");
            push.setProvider("gitlab");
            push.setApiUrl(gitlab.apiUrl());
            push.setPullRequestBranch("deploy/guestbook");
            push.setWaitForMerge("10m");
            p.getBuildersList().add(new GitopsPushBuilder(push));

            FreeStyleBuild b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("to be merged", b);
            String mergeCommit = mergeThePullRequest();

            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            assertThat(b.getAction(GitopsDeploymentAction.class).lastPushedCommit()).isEqualTo(mergeCommit);
        });
    }

    @Test
    void waitForMergeWithoutAPullRequestFailsBeforePushingAnything() throws Throwable {
        sessions.then(j -> {
            addCredentials();
            WorkflowJob p = j.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-repo', path: 'apps/guestbook', image: '%s', tag: '1.1.0'
                      gitopsPush waitForMerge: '10m'
                    }
                    """.formatted(server.url(REPOSITORY), IMAGE), true));

            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);

            j.assertLogContains("it needs pullRequest: true", b);
            assertThat(config.subjects("main")).hasSize(1);
            assertThat(server.pushes()).isZero();
        });
    }

    /** Merges the one pull request as a reviewer would: its change lands on main in a merge commit. */
    private String mergeThePullRequest() {
        FakePullRequest mr = gitlab.pulls().get(0);
        String mergeCommit = config.commitDirectly("main", Map.of(FILE, config.show(mr.head(), FILE)),
                "Merge branch '" + mr.head() + "' into 'main'");
        gitlab.merge(mr.number(), mergeCommit);
        return mergeCommit;
    }

    private WorkflowJob pipeline(JenkinsRule j, String waitArgument) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  gitopsSetImage repo: '%s', credentialsId: 'config-repo', path: 'apps/guestbook', image: '%s', tag: '1.1.0'
                  def pr = gitopsPush pullRequest: true, pullRequestCredentialsId: 'gitlab-token', provider: 'gitlab',
                                      apiUrl: '%s', pullRequestBranch: 'deploy/guestbook', %s
                  echo "sha=${pr.sha} merged=${pr.merged}"
                }
                """.formatted(server.url(REPOSITORY), IMAGE, gitlab.apiUrl(), waitArgument), true));
        return p;
    }

    private static void addCredentials() throws Exception {
        SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
        provider.getCredentials().addAll(List.of(
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD),
                new StringCredentialsImpl(CredentialsScope.GLOBAL, "gitlab-token", null, Secret.fromString(FakeForge.TOKEN))));
        provider.save();
    }

    private static String kustomization(String tag) {
        return "images:\n  - name: " + IMAGE + "\n    newTag: " + tag + "\n";
    }
}
