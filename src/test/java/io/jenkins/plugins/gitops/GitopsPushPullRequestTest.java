package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitLab;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** {@code gitopsPush pullRequest: true} against the real git server and the fake GitLab API. */
@WithJenkins
class GitopsPushPullRequestTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "http-password-that-must-not-leak";
    private static final String IMAGE = "registry.example.com/guestbook";
    private static final String FILE = "apps/guestbook/kustomization.yaml";
    /** Served at the project's path on the forge, as a GitLab clone URL is: the step locates the project from it. */
    private static final String REPOSITORY = "example-org/config.git";

    @TempDir
    private Path servedRoot;

    private BareRepository config;

    @BeforeEach
    void createConfigRepository() {
        config = BareRepository.create(servedRoot, REPOSITORY, "main",
                Map.of(FILE, "images:\n  - name: " + IMAGE + "\n    newTag: 1.0.0\n"));
    }

    @Test
    void opensAMergeRequestThenTheNextBuildUpdatesItAndTheBuildPageLinksIt(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD);
                FakeGitLab gitlab = FakeGitLab.start("example-org/config")) {
            SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
            provider.getCredentials().addAll(List.of(
                    new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD),
                    new StringCredentialsImpl(CredentialsScope.GLOBAL, "gitlab-token", null, Secret.fromString(FakeForge.TOKEN))));
            provider.save();
            WorkflowJob p = j.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-repo', path: 'apps/guestbook', image: '%s', tag: '1.1.0'
                      def pr = gitopsPush pullRequest: true, pullRequestCredentialsId: 'gitlab-token', provider: 'gitlab',
                                          apiUrl: '%s', labels: 'deploy', pullRequestBranch: 'deploy/guestbook'
                      echo "url=${pr.url} number=${pr.number} branch=${pr.branch} created=${pr.created} sha=${pr.sha}"
                    }
                    """.formatted(server.url(REPOSITORY), IMAGE, gitlab.apiUrl()), true));

            WorkflowRun first = j.buildAndAssertSuccess(p);
            WorkflowRun second = j.buildAndAssertSuccess(p);

            long number = gitlab.pulls().get(0).number();
            j.assertLogContains("number=" + number + " branch=deploy/guestbook created=true sha=", first);
            j.assertLogContains("number=" + number + " branch=deploy/guestbook created=false", second);
            assertThat(gitlab.pulls()).singleElement().satisfies(mr -> {
                assertThat(mr.labels()).containsExactly("deploy");
                assertThat(mr.body()).contains("`1.0.0` → `1.1.0`");
            });
            assertThat(config.show("deploy/guestbook", FILE)).contains("newTag: 1.1.0");
            assertThat(config.show("main", FILE)).contains("newTag: 1.0.0");
            j.assertLogNotContains(FakeForge.TOKEN, first);
            j.assertLogNotContains(PASSWORD, first);
            // The summary is rendered on the server: no script needed to read it.
            try (JenkinsRule.WebClient wc = j.createWebClient().withJavaScriptEnabled(false)) {
                assertThat(wc.getPage(first).asNormalizedText()).contains("pull request #" + number);
            }
        }
    }

    @Test
    void aPullRequestWithoutItsTokenCredentialFailsNamingTheOption(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD)) {
            SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
            provider.getCredentials().add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD));
            provider.save();
            WorkflowJob p = j.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-repo', path: 'apps/guestbook', image: '%s', tag: '1.1.0'
                      gitopsPush pullRequest: true
                    }
                    """.formatted(server.url(REPOSITORY), IMAGE), true));

            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));

            j.assertLogContains("pullRequestCredentialsId", b);
            assertThat(config.subjects("main")).hasSize(1);
        }
    }
}
