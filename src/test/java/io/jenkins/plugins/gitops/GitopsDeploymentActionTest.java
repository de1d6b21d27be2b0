package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class GitopsDeploymentActionTest {

    /**
     * Jelly trims the text a tag encloses when it holds an expression, so a space that only separates an expression
     * from what comes before it is lost: the summary once read "SYNCEDSynced/ Healthy" and "gitops.git(3 attempts)".
     */
    @Test
    void theBuildSummaryReadsAsSentences(JenkinsRule j) throws Exception {
        FreeStyleBuild build = j.buildAndAssertSuccess(j.createFreeStyleProject());
        GitopsDeploymentAction action = GitopsDeploymentAction.of(build);
        String sha = "760ebe9f20e458d01b2053ea2f65120a70a7cf02";
        action.recordPush(new GitopsDeploymentAction.Push(
                "https://git.example.org/gitops.git", "main", sha, 3, true, null));
        action.recordSync(new GitopsDeploymentAction.Sync(
                "prod", "guestbook", "SYNCED", sha, "Synced", "Healthy", "Synced to " + sha + " and Healthy", null));
        action.recordSync(new GitopsDeploymentAction.Sync(
                "staging", "api", "TIMED_OUT", null, null, "Progressing", "waiting for health", null));

        HtmlPage page = j.createWebClient().getPage(build);
        String text = page.asNormalizedText();

        assertThat(text)
                .contains("Pushed 760ebe9f20e4 to main of https://git.example.org/gitops.git, after 3 attempts")
                .contains("Argo CD application guestbook on prod: synced, Synced / Healthy at " + sha)
                .contains("Argo CD application api on staging: timed out, Progressing\n");
    }

    /**
     * {@code Run.save()} writes the action's lists without the action's lock while steps of parallel branches record
     * into them: every save must see a list that nobody changes, and no record may be lost.
     */
    @Test
    void recordsFromParallelBranchesNeverBreakASaveOfTheBuildAndAreAllKept(JenkinsRule j) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject();
        FreeStyleBuild build = j.buildAndAssertSuccess(project);
        GitopsDeploymentAction action = GitopsDeploymentAction.of(build);
        int writers = 4;
        int each = 150; // every record saves the whole build: the cost grows with the square of the count
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < each; i++) {
                        action.recordSync(new GitopsDeploymentAction.Sync(
                                "prod", "app-" + writer + "-" + i, "SYNCED", null, null, null, "", null));
                    }
                    return null;
                }));
            }
            Future<?> saver = pool.submit((Callable<Void>) () -> {
                while (done.stream().anyMatch(f -> !f.isDone())) {
                    build.save();
                }
                return null;
            });
            for (Future<?> f : done) {
                f.get();
            }
            saver.get();
        } finally {
            pool.shutdownNow();
        }

        build.reload();
        assertThat(build.getAction(GitopsDeploymentAction.class).getSyncs()).hasSize(writers * each);
    }
}
