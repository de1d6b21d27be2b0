package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitLab;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitea;
import io.jenkins.plugins.gitops.core.testing.forge.FakePullRequest;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitops update|push --pull-request} against the real git server and a fake provider API. */
class PullRequestCommandTest {

    private static final String USER = "deployer";
    private static final String PASSWORD = "git-Pa55word-never-printed";
    private static final String IMAGE = "ghcr.io/example-org/guestbook";
    private static final String KUSTOMIZATION = "images:\n  - name: " + IMAGE + "\n    newTag: 1.4.2\n";

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = BareRepository.create(served, "config.git", "main", Map.of("apps/guestbook/kustomization.yaml", KUSTOMIZATION));
        server = GitHttpServer.start(served, USER, PASSWORD);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Map<String, String> environment(String token) {
        return Map.of("GITOPS_GIT_USERNAME", USER, "GITOPS_GIT_PASSWORD", PASSWORD, "GITOPS_PR_TOKEN", token);
    }

    private List<String> update(FakeForge fake, String provider, String tag, String... more) {
        List<String> args = new ArrayList<>(List.of("update", "--repo", server.url(bare.name()), "--path", "apps/guestbook",
                "--image", IMAGE, "--tag", tag, "--app", "guestbook", "--pull-request", "--pr-provider", provider,
                "--pr-api-url", fake.apiUrl(), "--pr-repository", "example-org/config"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void updateOpensAMergeRequestAndPrintsItsUrlThenTheNextBuildUpdatesIt() throws Exception {
        try (FakeGitLab gitlab = FakeGitLab.start("example-org/config")) {
            Result first = run(environment(FakeForge.TOKEN), update(gitlab, "gitlab", "1.5.0", "--pr-label", "deploy").toArray(String[]::new));
            Result second = run(environment(FakeForge.TOKEN), update(gitlab, "gitlab", "1.6.0", "--json").toArray(String[]::new));

            assertThat(first.exit()).as(first.toString()).isEqualTo(ExitCode.OK.code());
            FakePullRequest mr = gitlab.pulls().get(0);
            assertThat(first.out()).isEqualTo("http://" + gitlab.apiUrl().substring(7).replace("/api/v4", "")
                    + "/example-org/config/-/merge_requests/" + mr.number() + "\n");
            assertThat(first.err()).contains("Opened merge request ");
            assertThat(second.exit()).as(second.toString()).isEqualTo(ExitCode.OK.code());
            JsonNode json = new ObjectMapper().readTree(second.out());
            assertThat(json.path("outcome").asText()).isEqualTo("PULL_REQUEST_UPDATED");
            assertThat(json.path("created").asBoolean(true)).isFalse();
            assertThat(json.path("branch").asText()).isEqualTo("gitops/main/guestbook/guestbook");
            assertThat(json.path("commit").asText()).isEqualTo(bare.commitOf("gitops/main/guestbook/guestbook"));
            assertThat(gitlab.pulls()).singleElement().satisfies(only -> {
                assertThat(only.title()).isEqualTo("Update " + IMAGE + " to 1.6.0");
                assertThat(only.labels()).containsExactly("deploy");
            });
            assertThat(bare.show("main", "apps/guestbook/kustomization.yaml")).isEqualTo(KUSTOMIZATION);
            assertThat(first + second.toString()).doesNotContain(FakeForge.TOKEN, PASSWORD);
        }
    }

    @Test
    void updateWaitsForTheMergeAndPrintsTheMergeCommit() throws Exception {
        try (FakeGitea gitea = FakeGitea.start("example-org/config")) {
            String mergeCommit = bare.commitOf("main");
            CompletableFuture<Void> reviewer = CompletableFuture.runAsync(() -> {
                while (gitea.pulls().isEmpty()) {
                    Thread.onSpinWait();
                }
                gitea.merge(gitea.pulls().get(0).number(), mergeCommit);
            });

            Result result = run(environment(FakeForge.TOKEN), update(gitea, "forgejo", "1.5.0",
                    "--wait-for-merge", "2m", "--merge-poll-interval", "1s").toArray(String[]::new));

            reviewer.join();
            assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(result.out()).isEqualTo(mergeCommit + "\n");
            assertThat(result.err()).contains("was merged as " + mergeCommit);
        }
    }

    @Test
    void aPullRequestClosedUnmergedDuringTheWaitExitsTen() throws Exception {
        try (FakeGitea gitea = FakeGitea.start("example-org/config")) {
            CompletableFuture<Void> reviewer = CompletableFuture.runAsync(() -> {
                while (gitea.pulls().isEmpty()) {
                    Thread.onSpinWait();
                }
                gitea.closeUnmerged(gitea.pulls().get(0).number());
            });

            Result result = run(environment(FakeForge.TOKEN), update(gitea, "gitea", "1.5.0",
                    "--wait-for-merge", "2m", "--merge-poll-interval", "1s").toArray(String[]::new));

            reviewer.join();
            assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.PULL_REQUEST_CLOSED.code());
            assertThat(result.lastErrLine()).contains("closed without being merged");
        }
    }

    @Test
    void nothingToChangeOpensNoPullRequestAndExitsThree() throws Exception {
        try (FakeGitLab gitlab = FakeGitLab.start("example-org/config")) {
            Result result = run(environment(FakeForge.TOKEN), update(gitlab, "gitlab", "1.4.2").toArray(String[]::new));

            assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.NOTHING_TO_CHANGE.code());
            assertThat(result.out()).isEmpty();
            assertThat(gitlab.pulls()).isEmpty();
        }
    }

    @Test
    void aWrongTokenExitsSixWithoutPrintingIt() throws Exception {
        String wrong = "glpat-wrongTokenValue0123";
        try (FakeGitLab gitlab = FakeGitLab.start("example-org/config")) {
            Result result = run(environment(wrong), update(gitlab, "gitlab", "1.5.0", "--json").toArray(String[]::new));

            assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.AUTH_FAILED.code());
            assertThat(result.toString()).contains("refused the token").doesNotContain(wrong);
        }
    }

    @Test
    void pushOpensAPullRequestFromWhatSetImageChanged() throws Exception {
        Path checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", server.url(bare.name()).replace("://", "://" + USER + ":" + PASSWORD + "@"), checkout.toString());
        Path token = temp.resolve("token");
        Files.writeString(token, FakeForge.TOKEN + "\n");
        try (FakeGitea gitea = FakeGitea.start("example-org/config")) {
            Result edited = run("set-image", checkout.resolve("apps/guestbook").toString(), "--image", IMAGE, "--tag", "2.0.0");
            Result pushed = run(Map.of("GITOPS_GIT_USERNAME", USER, "GITOPS_GIT_PASSWORD", PASSWORD), "push", checkout.toString(),
                    "--repo", server.url(bare.name()), "--pull-request", "--pr-provider", "gitea", "--pr-api-url", gitea.apiUrl(),
                    "--pr-repository", "example-org/config", "--pr-token-file", token.toString(), "--pr-branch", "deploy/${image}-${newVersion}");

            assertThat(edited.exit()).as(edited.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(pushed.exit()).as(pushed.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(gitea.pulls()).singleElement().satisfies(pr -> {
                assertThat(pr.head()).isEqualTo("deploy/guestbook-2.0.0");
                assertThat(pr.body()).contains("`1.4.2` → `2.0.0`");
            });
            assertThat(bare.show("deploy/guestbook-2.0.0", "apps/guestbook/kustomization.yaml")).contains("newTag: 2.0.0");
            assertThat(pushed.toString()).doesNotContain(FakeForge.TOKEN, PASSWORD);
        }
    }
}
