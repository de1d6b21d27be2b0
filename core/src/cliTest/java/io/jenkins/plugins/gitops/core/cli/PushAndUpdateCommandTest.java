package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushAndUpdateCommandTest {

    private static final String USER = "deployer";
    private static final String PASSWORD = "tok3n-Never-Printed-991";
    private static final String IMAGE = "ghcr.io/example-org/guestbook";
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: guestbook
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/example-org/guestbook:1.4.2 # bumped by CI
            """;
    private static final String OTHER = DEPLOYMENT.replace("guestbook", "billing");

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer server;
    private Path passwordFile;

    @BeforeEach
    void startServer() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = BareRepository.create(served, "config.git", "main", Map.of(
                "apps/guestbook/deployment.yaml", DEPLOYMENT,
                "apps/billing/deployment.yaml", OTHER));
        server = GitHttpServer.start(served, USER, PASSWORD);
        passwordFile = temp.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void updateClonesEditsCommitsAndPushesInOneCommand() throws IOException {
        Result result = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", passwordFile.toString(),
                "--image", IMAGE, "--tag", "1.5.0", "--path", "apps/guestbook", "--app", "guestbook",
                "--build-url", "https://ci.example.test/job/42/", "--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("outcome").asText()).isEqualTo("PUSHED");
        assertThat(json.path("commit").asText()).isEqualTo(bare.commitOf("main"));
        assertThat(json.path("files").get(0).asText()).isEqualTo("apps/guestbook/deployment.yaml");
        assertThat(bare.show("main", "apps/guestbook/deployment.yaml")).isEqualTo(DEPLOYMENT.replace(":1.4.2", ":1.5.0"));
        assertThat(bare.messages("main").get(0)).isEqualTo("""
                Update ghcr.io/example-org/guestbook from 1.4.2 to 1.5.0

                App: guestbook
                Files: apps/guestbook/deployment.yaml
                Build: https://ci.example.test/job/42/

                [skip ci]
                """);
        assertThat(result.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void updateWritesOnlyTheFilesThatNameTheImageAndPushesTheWholeTree() {
        Path workdir = temp.resolve("kept");
        Result result = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", passwordFile.toString(),
                "--image", IMAGE, "--tag", "1.5.0", "--workdir", workdir.toString());

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(workdir.resolve("apps/guestbook/deployment.yaml")).content().contains(IMAGE + ":1.5.0");
        assertThat(workdir.resolve("apps/billing/deployment.yaml")).doesNotExist();
        assertThat(bare.filesChangedBy("main")).containsExactly("apps/guestbook/deployment.yaml");
        assertThat(bare.show("main", "apps/billing/deployment.yaml")).isEqualTo(OTHER);
    }

    @Test
    void aPushFromAKeptCheckoutNeverDeletesTheFilesTheUpdateDidNotWrite() throws IOException {
        for (String path : new String[] {null, "apps/guestbook"}) {
            Path workdir = temp.resolve(path == null ? "kept-whole" : "kept-path");
            Result update = run(path == null
                    ? new String[] {"update", "--repo", server.url(bare.name()), "--username", USER, "--password-file",
                            passwordFile.toString(), "--image", IMAGE, "--tag", "1.5.0", "--workdir", workdir.toString()}
                    : new String[] {"update", "--repo", server.url(bare.name()), "--username", USER, "--password-file",
                            passwordFile.toString(), "--image", IMAGE, "--tag", "1.5.0", "--path", path,
                            "--workdir", workdir.toString()});
            assertThat(update.exit()).as(update.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(workdir.resolve("apps/billing/deployment.yaml")).doesNotExist();
            // The git command line, too, sees the files that were never written as unchanged, not deleted.
            assertThat(GitCli.run(workdir, "status", "--porcelain")).isEmpty();

            Path deployment = workdir.resolve("apps/guestbook/deployment.yaml");
            Files.writeString(deployment, Files.readString(deployment).replace(":1.5.0", ":1.5.1-" + workdir.getFileName()));
            Result push = run("push", workdir.toString(), "--username", USER, "--password-file", passwordFile.toString());

            assertThat(push.exit()).as(push.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(bare.filesChangedBy("main")).containsExactly("apps/guestbook/deployment.yaml");
            assertThat(bare.show("main", "apps/billing/deployment.yaml")).isEqualTo(OTHER);
        }
    }

    @Test
    void updatePrintsThePushedCommitAloneOnStdoutAndTheDetailsOnStderr() {
        Result result = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", passwordFile.toString(),
                "--image", IMAGE, "--tag", "1.5.0", "--path", "apps/guestbook");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(result.out()).isEqualTo(bare.commitOf("main") + "\n");
        assertThat(result.err()).contains("gitops update: Pushed " + bare.commitOf("main") + " to main\n")
                .endsWith("gitops update: changed apps/guestbook/deployment.yaml\n");
    }

    @Test
    void aPushBranchSpeltAsARefPushesToThatBranch() {
        Result result = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", passwordFile.toString(),
                "--image", IMAGE, "--tag", "1.5.0", "--path", "apps/guestbook", "--push-branch", "refs/heads/deploy/guestbook");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(result.out()).isEqualTo(bare.commitOf("refs/heads/deploy/guestbook") + "\n");
        assertThat(bare.show("deploy/guestbook", "apps/guestbook/deployment.yaml")).contains(":1.5.0");
        assertThat(bare.commitOf("refs/heads/refs/heads/deploy/guestbook")).isNull();
        assertThat(bare.subjects("main")).hasSize(1);
    }

    @Test
    void updateExitsNothingToChangeOrImageNotFound() {
        Result same = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", passwordFile.toString(),
                "--image", IMAGE, "--tag", "1.4.2");
        Result missing = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", passwordFile.toString(),
                "--image", "ghcr.io/example-org/nothing", "--tag", "1.0");

        assertThat(same.exit()).as(same.toString()).isEqualTo(ExitCode.NOTHING_TO_CHANGE.code());
        assertThat(same.out()).isEmpty();
        assertThat(same.lastErrLine()).isEqualTo("gitops update: nothing to change: main already has the requested values");
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(ExitCode.IMAGE_NOT_FOUND.code());
        assertThat(bare.subjects("main")).hasSize(1);
    }

    @Test
    void aWrongPasswordExitsAuthFailedWithoutPrintingAnySecret() throws IOException {
        Path wrong = temp.resolve("wrong");
        Files.writeString(wrong, "Wrong-Token-123");
        Result result = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", wrong.toString(),
                "--image", IMAGE, "--tag", "1.5.0");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.AUTH_FAILED.code());
        assertThat(result.err()).contains("gitops update: Cannot").contains(server.url(bare.name()));
        assertThat(result.toString()).doesNotContain("Wrong-Token-123").doesNotContain(PASSWORD);
    }

    @Test
    void aHookRefusalExitsPushRejectedWithTheServersMessage() {
        bare.installHook("pre-receive", "#!/bin/sh\necho 'main is protected: open a pull request' >&2\nexit 1\n");
        Result result = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", passwordFile.toString(),
                "--image", IMAGE, "--tag", "1.5.0");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.PUSH_REJECTED.code());
        assertThat(result.err()).contains("main is protected: open a pull request");
    }

    @Test
    void aPushThatLosesEveryRaceExitsAttemptsExhaustedAfterTheLastAttempt() {
        // Before each push lands, "another pipeline" moves main on (outside the push's quarantine), so every push loses.
        bare.installHook("pre-receive", """
                #!/bin/sh
                cat >/dev/null
                unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
                tip=$(git rev-parse refs/heads/main)
                next=$(echo 'Another pipeline' | GIT_AUTHOR_NAME=other GIT_AUTHOR_EMAIL=other@example.test \
                    GIT_COMMITTER_NAME=other GIT_COMMITTER_EMAIL=other@example.test git commit-tree "$tip^{tree}" -p "$tip")
                git update-ref refs/heads/main "$next" "$tip"
                """);
        String start = bare.commitOf("main");

        Result result = run("update", "--repo", server.url(bare.name()), "--username", USER, "--password-file", passwordFile.toString(),
                "--image", IMAGE, "--tag", "1.5.0", "--max-attempts", "3");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.ATTEMPTS_EXHAUSTED.code());
        assertThat(result.out()).as("no commit was pushed").isEmpty();
        assertThat(result.err()).contains("gitops update: Gave up after 3 attempts").contains("Nothing was forced");
        assertThat(bare.subjects("main")).as("three pipelines landed, ours never").hasSize(4)
                .containsOnly("Another pipeline", bare.subjects(start).get(0));
        assertThat(bare.show("main", "apps/guestbook/deployment.yaml")).isEqualTo(DEPLOYMENT);
    }

    @Test
    void setImageJournalsInTheGitDirectoryAndPushReappliesItAfterLosingARace() throws IOException {
        Path checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", server.url(bare.name()).replace("http://", "http://" + USER + ":" + PASSWORD + "@"), checkout.toString());
        GitCli.run(checkout, "remote", "set-url", "origin", server.url(bare.name())); // keep the secret out of .git/config

        Result setImage = run("set-image", checkout.resolve("apps/guestbook").toString(), "--image", IMAGE, "--tag", "2.0.0");
        assertThat(setImage.exit()).as(setImage.toString()).isEqualTo(ExitCode.OK.code());
        Path journal = checkout.resolve(".git/gitops/pending-edits.json");
        assertThat(journal).exists();
        assertThat(GitCli.run(checkout, "status", "--porcelain")).isEqualTo(" M apps/guestbook/deployment.yaml\n");

        // another pipeline pushes between our set-image and our push
        bare.commitDirectly("main", Map.of("apps/billing/deployment.yaml", OTHER.replace(":1.4.2", ":7.0.0")), "Billing 7.0.0");

        Result push = run("push", checkout.toString(), "--username", USER, "--password-file", passwordFile.toString());

        assertThat(push.exit()).as(push.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(push.out()).isEqualTo(bare.commitOf("main") + "\n");
        assertThat(push.err()).contains("gitops push: Push to main lost a race with another push (attempt 1 of 10)\n")
                .contains("gitops push: Pushed " + bare.commitOf("main") + " to main after 2 attempts\n");
        assertThat(bare.subjects("main")).hasSize(3).element(1).isEqualTo("Billing 7.0.0");
        assertThat(bare.show("main", "apps/guestbook/deployment.yaml")).contains("guestbook:2.0.0 # bumped by CI");
        assertThat(bare.show("main", "apps/billing/deployment.yaml")).contains("billing:7.0.0");
        assertThat(journal).doesNotExist();
        assertThat(Files.readString(checkout.resolve(".git/config"))).doesNotContain(PASSWORD);
        bare.fsck();
    }

    @Test
    void aPushWithoutAJournalGetsASubjectNamingTheFilesNotTheFilesLine() throws IOException {
        Path checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
        Path file = checkout.resolve("apps/guestbook/deployment.yaml");
        Files.writeString(file, Files.readString(file).replace(":1.4.2", ":1.4.3")); // edited by hand, not set-image

        Result push = run("push", checkout.toString(), "--repo", server.url(bare.name()), "--username", USER,
                "--password-file", passwordFile.toString());

        assertThat(push.exit()).as(push.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(bare.messages("main").get(0)).isEqualTo("""
                Update apps/guestbook/deployment.yaml

                Files: apps/guestbook/deployment.yaml

                [skip ci]
                """);
    }

    @Test
    void pushRefusesToRiskChangesThatSetImageDidNotMake() throws IOException {
        Path checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
        run("set-image", checkout.toString(), "--image", IMAGE, "--tag", "2.0.0");
        Files.writeString(checkout.resolve("apps/billing/deployment.yaml"), "hand edit\n");

        Result push = run("push", checkout.toString(), "--repo", server.url(bare.name()), "--username", USER,
                "--password-file", passwordFile.toString());

        assertThat(push.exit()).as(push.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(push.err()).contains("apps/billing/deployment.yaml").contains("Commit or stash");
        assertThat(bare.subjects("main")).hasSize(1);
    }

    @Test
    void pushCommitsTheArgocdSourceFileThatSetImageCreated() throws IOException {
        Path checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
        Result setImage = run("set-image", checkout.toString(), "--image", IMAGE, "--tag", "2.0.0",
                "--path", "apps/guestbook", "--argocd-source", "guestbook");
        assertThat(setImage.exit()).as(setImage.toString()).isEqualTo(ExitCode.OK.code());

        Result push = run("push", checkout.toString(), "--repo", server.url(bare.name()), "--username", USER,
                "--password-file", passwordFile.toString());

        assertThat(push.exit()).as(push.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(bare.show("main", "apps/guestbook/.argocd-source-guestbook.yaml")).contains(IMAGE + ":2.0.0");
        assertThat(bare.show("main", "apps/guestbook/deployment.yaml")).isEqualTo(DEPLOYMENT);
    }

    @Test
    void setImageDoesNotJournalInAnUntrackedDirectoryOfSomeOtherCheckout() throws IOException {
        Path checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
        Path scratch = Files.createDirectories(checkout.resolve("scratch/apps"));
        Files.writeString(scratch.resolve("deployment.yaml"), DEPLOYMENT);

        Result setImage = run("set-image", checkout.resolve("scratch").toString(), "--image", IMAGE, "--tag", "2.0.0");

        assertThat(setImage.exit()).as(setImage.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(checkout.resolve(".git/gitops/pending-edits.json")).doesNotExist();
    }


}
