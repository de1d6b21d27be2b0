package io.jenkins.plugins.gitops.core.git;

import static io.jenkins.plugins.gitops.core.git.GitServers.PASSWORD;
import static io.jenkins.plugins.gitops.core.git.GitServers.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.git.SshClientKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpConfigRepositoryTest {

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer server;
    private final List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = GitServers.configRepository(served, 3);
        server = GitHttpServer.start(served, USER, PASSWORD);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private GitRemote remote(String password) {
        return new GitRemote(server.url(bare.name()), GitCredentials.usernamePassword(USER, password), HostKeyPolicy.off());
    }

    private UpdateLoop loop() {
        Backoff recording = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), RandomGenerator.of("L64X128MixRandom"), waits::add);
        return new UpdateLoop(UpdateLoop.Settings.defaults().withBackoff(recording), GitProgress.silent());
    }

    private JGitConfigRepository cloneWith(CloneOptions options) {
        return JGitConfigRepository.cloneInto(temp.resolve("checkout"), remote(PASSWORD), options, GitProgress.silent());
    }

    @Test
    void clonesCommitsAndPushesOverHttpWithBasicAuth() throws IOException {
        try (JGitConfigRepository repository = cloneWith(CloneOptions.defaults())) {
            UpdateResult result = loop().run(repository, new ImageLineEdit(GitServers.appFile(1), GitServers.image(1), "2.0.0"));

            UpdateResult.Pushed pushed = (UpdateResult.Pushed) result;
            assertThat(pushed.attempts()).isEqualTo(1);
            assertThat(pushed.branch()).isEqualTo("main");
            assertThat(pushed.files()).containsExactly(GitServers.appFile(1));
            assertThat(bare.commitOf("main")).isEqualTo(pushed.commit());
            assertThat(bare.show("main", GitServers.appFile(1))).contains("app1:2.0.0");
            assertThat(bare.filesChangedBy("main")).containsExactly(GitServers.appFile(1));
            assertThat(bare.messages("main").get(0))
                    .startsWith("Update " + GitServers.image(1) + " from 1.0.0 to 2.0.0")
                    .endsWith("[skip ci]\n");
            bare.fsck();
            assertThat(Files.readString(repository.workTree().resolve(".git/config"))).doesNotContain(PASSWORD);
            assertThat(Files.exists(repository.workTree().resolve(".git/shallow"))).as("depth-1 clone").isTrue();
        }
    }

    @Test
    void wrongPasswordFailsWithAnAuthenticationErrorThatHoldsNoSecret() {
        String wrong = "wr0ng-Password-also-secret";
        GitOperationException failure = catchThrowableOfType(GitOperationException.class, () ->
                JGitConfigRepository.cloneInto(temp.resolve("checkout"), remote(wrong), CloneOptions.defaults(), GitProgress.silent()));

        assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.AUTHENTICATION);
        assertThat(failure.getMessage()).contains(server.url(bare.name())).contains("credentials");
        assertThat(stackTrace(failure)).doesNotContain(wrong).doesNotContain(PASSWORD);
        assertThat(server.refusedLogins()).isPositive();
    }

    @Test
    void refusesAUrlThatCarriesAPassword() {
        String url = server.url(bare.name()).replace("http://", "http://" + USER + ":" + PASSWORD + "@");
        assertThatThrownBy(() -> new GitRemote(url, GitCredentials.none(), HostKeyPolicy.off()))
                .isInstanceOf(GitOperationException.class)
                .hasMessageContaining("contains a password")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void reappliesTheEditOnTheNewTipAfterLosingARace() {
        try (JGitConfigRepository repository = cloneWith(CloneOptions.defaults())) {
            ImageLineEdit ours = new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0");
            boolean[] raced = {false};
            WorkTreeEdit racing = workTree -> {
                if (!raced[0]) { // another pipeline pushes between our clone and our push
                    raced[0] = true;
                    bare.commitDirectly("main", Map.of(GitServers.appFile(2), ImageLineEdit.manifest(GitServers.image(2), "9.9.9")), "Other pipeline");
                }
                return ours.apply(workTree);
            };

            UpdateResult.Pushed pushed = (UpdateResult.Pushed) loop().run(repository, racing);

            assertThat(pushed.attempts()).isEqualTo(2);
            assertThat(waits).hasSize(1);
            assertThat(bare.subjects("main")).hasSize(3).element(1).isEqualTo("Other pipeline");
            assertThat(bare.show("main", GitServers.appFile(0))).contains("app0:2.0.0");
            assertThat(bare.show("main", GitServers.appFile(2))).contains("app2:9.9.9");
            bare.fsck();
        }
    }

    @Test
    void finishesWithoutACommitWhenTheRaceWinnerPushedTheSameVersion() {
        try (JGitConfigRepository repository = cloneWith(CloneOptions.defaults())) {
            ImageLineEdit ours = new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0");
            boolean[] raced = {false};
            WorkTreeEdit racing = workTree -> {
                if (!raced[0]) {
                    raced[0] = true;
                    bare.commitDirectly("main", Map.of(GitServers.appFile(0), ImageLineEdit.manifest(GitServers.image(0), "2.0.0")), "Same version elsewhere");
                }
                return ours.apply(workTree);
            };

            UpdateResult result = loop().run(repository, racing);

            assertThat(result).isInstanceOf(UpdateResult.NoChange.class);
            assertThat(result.attempts()).isEqualTo(2);
            assertThat(((UpdateResult.NoChange) result).reason()).contains("nothing to change: another push already");
            assertThat(bare.subjects("main")).containsExactly("Same version elsewhere", "Initial config");
        }
    }

    @Test
    void aPreReceiveHookRefusalEndsTheLoopWithTheServersMessageAndNoRetry() {
        bare.installHook("pre-receive", "#!/bin/sh\necho 'deploys to main are frozen until Monday' >&2\nexit 1\n");
        try (JGitConfigRepository repository = cloneWith(CloneOptions.defaults())) {
            GitOperationException failure = catchThrowableOfType(GitOperationException.class, () ->
                    loop().run(repository, new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0")));

            assertThat(failure.kind()).isEqualTo(GitOperationException.Kind.PUSH_REJECTED);
            assertThat(failure.getMessage()).contains("deploys to main are frozen until Monday").contains("Not retried");
            assertThat(server.pushes()).isEqualTo(1);
            assertThat(waits).isEmpty();
            assertThat(bare.subjects("main")).containsExactly("Initial config");
        }
    }

    @Test
    void pushesToAnotherBranchCreatedFromTheBase() {
        CloneOptions options = CloneOptions.defaults().withBranch("main").withPushBranch("gitops/app0-2.0.0");
        try (JGitConfigRepository repository = cloneWith(options)) {
            UpdateResult.Pushed pushed = (UpdateResult.Pushed) loop().run(
                    repository, new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0"));

            assertThat(pushed.branch()).isEqualTo("gitops/app0-2.0.0");
            assertThat(bare.commitOf("refs/heads/gitops/app0-2.0.0")).isEqualTo(pushed.commit());
            assertThat(bare.subjects("main")).containsExactly("Initial config");
            assertThat(bare.show("gitops/app0-2.0.0", GitServers.appFile(0))).contains("app0:2.0.0");
        }
        // a second update to the same push branch builds on it instead of on main
        try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(
                temp.resolve("again"), remote(PASSWORD), options, GitProgress.silent())) {
            loop().run(repository, new ImageLineEdit(GitServers.appFile(1), GitServers.image(1), "3.0.0"));
            assertThat(bare.subjects("gitops/app0-2.0.0")).hasSize(3);
        }
    }

    @Test
    void checksOutOnlyTheGivenPathsButCommitsTheWholeTree() {
        CloneOptions options = CloneOptions.defaults().withCheckoutPaths(List.of("apps/app1"));
        try (JGitConfigRepository repository = cloneWith(options)) {
            assertThat(repository.workTree().resolve(GitServers.appFile(1))).exists();
            assertThat(repository.workTree().resolve(GitServers.appFile(0))).doesNotExist();
            assertThat(repository.workTree().resolve("README.md")).doesNotExist();

            loop().run(repository, new ImageLineEdit(GitServers.appFile(1), GitServers.image(1), "2.0.0"));

            assertThat(bare.filesChangedBy("main")).containsExactly(GitServers.appFile(1));
            assertThat(bare.show("main", "README.md")).isEqualTo("config\n");
        }
    }

    /** Selects the files whose content names {@code image}, as the edit's reach does for an image. */
    private static CheckoutSelection naming(String image) {
        return file -> new String(file.content(), java.nio.charset.StandardCharsets.UTF_8).contains(image);
    }

    @Test
    void writesOnlyTheSelectedFilesButCommitsTheWholeTree() {
        try (JGitConfigRepository repository = cloneWith(CloneOptions.defaults().withSelection(naming(GitServers.image(1))))) {
            assertThat(repository.workTree().resolve(GitServers.appFile(1))).exists();
            assertThat(repository.workTree().resolve(GitServers.appFile(0))).doesNotExist();
            assertThat(repository.workTree().resolve("README.md")).doesNotExist();
            assertThat(repository.changedFiles()).isEmpty();

            loop().run(repository, new ImageLineEdit(GitServers.appFile(1), GitServers.image(1), "2.0.0"));

            assertThat(bare.filesChangedBy("main")).containsExactly(GitServers.appFile(1));
            assertThat(bare.show("main", "README.md")).isEqualTo("config\n");
            assertThat(bare.show("main", GitServers.appFile(0))).contains(GitServers.image(0) + ":1.0.0");
            bare.fsck();
        }
    }

    @Test
    void afterALostRaceWritesWhatTheNewTipSelectsAndRemovesWhatItNoLongerDoes() {
        String moved = "apps/moved/app1.yaml";
        try (JGitConfigRepository repository = cloneWith(CloneOptions.defaults().withSelection(naming(GitServers.image(1))))) {
            boolean[] raced = {false};
            WorkTreeEdit racing = workTree -> {
                if (!raced[0]) { // another pipeline moves app1's manifest and bumps it
                    raced[0] = true;
                    bare.commitDirectly("main", Map.of(
                            GitServers.appFile(1), ImageLineEdit.manifest(GitServers.image(2), "1.0.0"),
                            moved, ImageLineEdit.manifest(GitServers.image(1), "1.5.0")),
                            "Other pipeline");
                }
                return new ImageLineEdit(Files.exists(workTree.resolve(moved)) ? moved : GitServers.appFile(1),
                        GitServers.image(1), "2.0.0").apply(workTree);
            };

            UpdateResult.Pushed pushed = (UpdateResult.Pushed) loop().run(repository, racing);

            assertThat(pushed.attempts()).isEqualTo(2);
            assertThat(repository.workTree().resolve(GitServers.appFile(1))).doesNotExist();
            assertThat(bare.filesChangedBy("main")).containsExactly(moved);
            assertThat(bare.messages("main").get(0)).startsWith("Update " + GitServers.image(1) + " from 1.5.0 to 2.0.0");
            assertThat(bare.show("main", GitServers.appFile(1))).contains(GitServers.image(2) + ":1.0.0");
            bare.fsck();
        }
    }

    @Test
    void aPartialCloneWritesOnlyTheSelectedFilesOfTheGivenPaths() {
        server.allowFilters();
        bare.commitDirectly("main", Map.of("apps/app1/service.yaml", "kind: Service\n"), "A file without the image");
        CloneOptions options = CloneOptions.defaults().withCheckoutPaths(List.of("apps/app1"))
                .withSelection(naming(GitServers.image(1)));
        try (JGitConfigRepository repository = cloneWith(options)) {
            assertThat(repository.workTree().resolve(GitServers.appFile(1))).exists();
            assertThat(repository.workTree().resolve("apps/app1/service.yaml")).doesNotExist();
            assertThat(missingBlobs(repository.workTree())).containsExactlyInAnyOrder(GitServers.appFile(0), GitServers.appFile(2), "README.md");

            loop().run(repository, new ImageLineEdit(GitServers.appFile(1), GitServers.image(1), "2.0.0"));

            assertThat(bare.filesChangedBy("main")).containsExactly(GitServers.appFile(1));
            assertThat(bare.show("main", "apps/app1/service.yaml")).isEqualTo("kind: Service\n");
            bare.fsck();
        }
    }

    @Test
    void aSelectionThatWritesNoFileLeavesTheGivenDirectoryThereEmpty() {
        CloneOptions options = CloneOptions.defaults().withCheckoutPaths(List.of("apps/app1")).withSelection(file -> false);
        try (JGitConfigRepository repository = cloneWith(options)) {
            assertThat(repository.workTree().resolve("apps/app1")).isEmptyDirectory();
            assertThat(repository.changedFiles()).isEmpty();
        }
    }

    @Test
    void pushesAThinPackWhoseSizeFollowsTheEditNotTheTree() {
        // 1,000 apps: the rewritten apps/ tree alone is about 33 KB; as a delta against the server's copy it is a few bytes.
        Map<String, String> files = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            files.put(GitServers.appFile(i), ImageLineEdit.manifest(GitServers.image(i), "1.0.0"));
        }
        BareRepository large = BareRepository.create(temp.resolve("served"), "large.git", "main", files);
        GitRemote remote = new GitRemote(server.url(large.name()), GitCredentials.usernamePassword(USER, PASSWORD), HostKeyPolicy.off());
        try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(
                temp.resolve("large"), remote, CloneOptions.defaults(), GitProgress.silent())) {
            long before = server.bytesReceived();

            loop().run(repository, new ImageLineEdit(GitServers.appFile(7), GitServers.image(7), "2.0.0"));

            assertThat(server.bytesReceived() - before).as("bytes uploaded by the push").isLessThan(8 * 1024);
            assertThat(large.show("main", GitServers.appFile(7))).contains("app7:2.0.0");
            large.fsck();
        }
    }

    @Test
    void aPartialCloneFetchesOnlyTheBlobsOfTheGivenPathsAndPushesTheWholeTree() {
        server.allowFilters();
        CloneOptions options = CloneOptions.defaults().withCheckoutPaths(List.of("apps/app1"));
        try (JGitConfigRepository repository = cloneWith(options)) {
            assertThat(repository.workTree().resolve(GitServers.appFile(1))).exists();
            assertThat(repository.workTree().resolve(GitServers.appFile(0))).doesNotExist();
            assertThat(missingBlobs(repository.workTree()))
                    .containsExactlyInAnyOrder(GitServers.appFile(0), GitServers.appFile(2), "README.md");

            loop().run(repository, new ImageLineEdit(GitServers.appFile(1), GitServers.image(1), "2.0.0"));

            assertThat(bare.filesChangedBy("main")).containsExactly(GitServers.appFile(1));
            assertThat(bare.show("main", GitServers.appFile(1))).contains("app1:2.0.0");
            assertThat(bare.show("main", "README.md")).isEqualTo("config\n");
            bare.fsck();
        }
    }

    @Test
    void aPartialCloneReappliesTheEditOnTheNewTipAfterLosingARace() {
        server.allowFilters();
        CloneOptions options = CloneOptions.defaults().withCheckoutPaths(List.of("apps/app0"));
        try (JGitConfigRepository repository = cloneWith(options)) {
            ImageLineEdit ours = new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0");
            boolean[] raced = {false};
            WorkTreeEdit racing = workTree -> {
                if (!raced[0]) { // another pipeline changes our file's neighbour and the file itself
                    raced[0] = true;
                    bare.commitDirectly("main", Map.of(
                            GitServers.appFile(2), ImageLineEdit.manifest(GitServers.image(2), "9.9.9"),
                            GitServers.appFile(0), ImageLineEdit.manifest(GitServers.image(0), "1.5.0")),
                            "Other pipeline");
                }
                return ours.apply(workTree);
            };

            UpdateResult.Pushed pushed = (UpdateResult.Pushed) loop().run(repository, racing);

            assertThat(pushed.attempts()).isEqualTo(2);
            assertThat(bare.subjects("main")).hasSize(3).element(1).isEqualTo("Other pipeline");
            assertThat(bare.show("main", GitServers.appFile(0))).contains("app0:2.0.0");
            // the retry read the file as the other pipeline left it: its blob was fetched with the new tip
            assertThat(bare.messages("main").get(0)).startsWith("Update " + GitServers.image(0) + " from 1.5.0 to 2.0.0");
            assertThat(bare.show("main", GitServers.appFile(2))).contains("app2:9.9.9");
            assertThat(missingBlobs(repository.workTree())).doesNotContain(GitServers.appFile(0)).contains(GitServers.appFile(2));
            bare.fsck();
        }
    }

    @Test
    void aPartialClonePushesToAnotherBranchCreatedFromTheBase() {
        server.allowFilters();
        CloneOptions options = CloneOptions.defaults().withBranch("main").withPushBranch("gitops/app0-2.0.0")
                .withCheckoutPaths(List.of("apps/app0/"));
        try (JGitConfigRepository repository = cloneWith(options)) {
            assertThat(repository.workTree().resolve("README.md")).doesNotExist();

            loop().run(repository, new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0"));

            assertThat(bare.show("gitops/app0-2.0.0", GitServers.appFile(0))).contains("app0:2.0.0");
            assertThat(bare.subjects("main")).containsExactly("Initial config");
            bare.fsck();
        }
    }

    @Test
    void clonesTheFilesContentsWhenTheServerRefusesFilters() {
        List<String> said = new ArrayList<>();
        GitProgress progress = new GitProgress() {
            @Override
            public void info(String message) {
                said.add(message);
            }

            @Override
            public void warn(String message) {
                said.add(message);
            }
        };
        CloneOptions options = CloneOptions.defaults().withCheckoutPaths(List.of("apps/app1"));
        try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(temp.resolve("checkout"), remote(PASSWORD), options, progress)) {
            assertThat(said).anySatisfy(line -> assertThat(line).contains("does not serve partial clones"));
            assertThat(missingBlobs(repository.workTree())).isEmpty();
            assertThat(repository.workTree().resolve(GitServers.appFile(0))).doesNotExist();

            loop().run(repository, new ImageLineEdit(GitServers.appFile(1), GitServers.image(1), "2.0.0"));

            assertThat(bare.show("main", GitServers.appFile(1))).contains("app1:2.0.0");
        }
    }

    /** The files of HEAD whose content the checkout lacks, as git itself lists them (without fetching any). */
    private static List<String> missingBlobs(Path workTree) {
        Map<String, String> pathById = new java.util.HashMap<>();
        GitCli.run(workTree, "ls-tree", "-r", "HEAD").lines().forEach(line ->
                pathById.put(line.split("\\s+")[2], line.substring(line.indexOf('\t') + 1)));
        return GitCli.run(workTree, "rev-list", "--objects", "--missing=print", "HEAD").lines()
                .filter(line -> line.startsWith("?"))
                .map(line -> pathById.get(line.substring(1)))
                .toList();
    }

    @Test
    void clonesTheFullHistoryOnRequest() {
        bare.commitDirectly("main", Map.of("README.md", "second\n"), "Second");
        try (JGitConfigRepository repository = cloneWith(CloneOptions.defaults().withDepth(0))) {
            assertThat(Files.exists(repository.workTree().resolve(".git/shallow"))).isFalse();
            assertThat(GitCli.run(repository.workTree(), "rev-list", "--count", "HEAD").strip()).isEqualTo("2");
        }
    }

    @Test
    void pushesChangesAlreadyInAnExistingCheckout() throws IOException {
        Path checkout = temp.resolve("existing");
        GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
        ImageLineEdit edit = new ImageLineEdit(GitServers.appFile(2), GitServers.image(2), "4.0.0");
        EditOutcome applied = edit.apply(checkout);

        try (JGitConfigRepository repository = JGitConfigRepository.open(
                checkout, remote(PASSWORD), Optional.empty(), GitProgress.silent())) {
            assertThat(repository.changedFiles()).containsExactly(GitServers.appFile(2));
            UpdateResult.Pushed pushed = (UpdateResult.Pushed) loop().runApplied(repository, applied, Optional.of(edit));
            assertThat(pushed.commit()).isEqualTo(bare.commitOf("main"));
        }
        assertThat(Files.readString(checkout.resolve(".git/config"))).doesNotContain(PASSWORD);
    }

    @Test
    void signsTheCommitWithAnSshKeyThatGitVerifies() throws IOException {
        SshClientKey key = SshClientKey.generate(Files.createDirectories(temp.resolve("keys")), "signer", "sign-Pass-1");
        UpdateLoop signing = new UpdateLoop(UpdateLoop.Settings.defaults()
                .withIdentities(new CommitIdentity("Deploy Bot", "bot@example.test"), new CommitIdentity("Deploy Bot", "bot@example.test"))
                .withSigning(Optional.of(new CommitSigning(key.file(), Optional.of("sign-Pass-1")))), GitProgress.silent());
        try (JGitConfigRepository repository = cloneWith(CloneOptions.defaults())) {
            signing.run(repository, new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "2.0.0"));
        }
        Path allowed = temp.resolve("allowed_signers");
        Files.writeString(allowed, "bot@example.test " + key.publicKeyLine() + "\n");

        String verified = GitCli.run(bare.path(), "-c", "gpg.ssh.allowedSignersFile=" + allowed, "log", "-1", "--format=%G? %GS", "main");

        assertThat(verified.strip()).isEqualTo("G bot@example.test");
    }

    static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
