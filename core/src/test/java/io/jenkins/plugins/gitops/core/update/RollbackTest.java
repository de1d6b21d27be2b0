package io.jenkins.plugins.gitops.core.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdClient;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdCredentials;
import io.jenkins.plugins.gitops.core.argocd.Refresh;
import io.jenkins.plugins.gitops.core.git.Backoff;
import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.GitCredentials;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.GitRemote;
import io.jenkins.plugins.gitops.core.git.HostKeyPolicy;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback against a real git server over HTTP, the Application read from the fake Argo CD: the version before the
 * last change found in the branch's history, or one given, set as a new commit on top.
 */
class RollbackTest {

    private static final String USER = "deployer";
    private static final String PASSWORD = "s3cret-Push-Token";
    private static final String IMAGE = "ghcr.io/example-org/guestbook";
    private static final String OVERLAY = "apps/guestbook/overlays/prod/kustomization.yaml";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer git;
    private FakeArgoCd argo;
    private ExecutorService httpExecutor;
    private final GitProgress progress = GitProgress.silent();

    private static String kustomization(String tag) {
        return """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../base
                images:
                  - name: ghcr.io/example-org/guestbook
                    newTag: %s # pinned by CI
                """.formatted(tag);
    }

    private static String deployment(String reference) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: guestbook
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          image: %s
                """.formatted(reference);
    }

    @BeforeEach
    void start() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = BareRepository.create(served, "config.git", "main", Map.of(
                OVERLAY, kustomization("1.4.2"),
                "base/deployment.yaml", deployment("ghcr.io/example-org/guestbook:1.0.0"),
                "README.md", "config\n"));
        git = GitHttpServer.start(served, USER, PASSWORD);
        argo = FakeArgoCd.builder().gitRepository(bare.path()).start();
        argo.createApp(FakeArgoCd.CONTROLLER_NAMESPACE, "guestbook", git.url(bare.name()), "main")
                .path("apps/guestbook/overlays/prod");
        httpExecutor = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        argo.close();
        git.close();
        httpExecutor.shutdownNow();
    }

    private Application application() {
        ArgoCdClient client = new ArgoCdClient(argo.uri(), new ArgoCdCredentials.Token(argo.issueToken(FakeArgoCd.USERNAME)),
                HttpClient.newBuilder().executor(httpExecutor).build());
        return client.get(ApplicationRef.of("guestbook"), Refresh.NONE).join();
    }

    private GitRemote remote() {
        return new GitRemote(git.url(bare.name()), GitCredentials.usernamePassword(USER, PASSWORD), HostKeyPolicy.off());
    }

    private static UpdateLoop.Settings settings() {
        return UpdateLoop.Settings.defaults().withBackoff(new Backoff(Duration.ZERO, Duration.ZERO, RandomGenerator.of("L64X128MixRandom"), wait -> { }));
    }

    private RollbackResult rollback(Optional<ImageVersion> to) throws IOException {
        GitTarget target = ApplicationTargets.resolve(application(), ImageUpdate.tag(IMAGE, "0")).get(0);
        return Rollback.run(target, IMAGE, to, remote(), CloneOptions.defaults(), Files.createTempDirectory(temp, "clone-"),
                settings(), progress);
    }

    /** The history of a release: 1.4.2, a bad 1.5.0, then commits that do not change the image's version. */
    private String deployBadRelease() {
        String bad = bare.commitDirectly("main", Map.of(OVERLAY, kustomization("1.5.0")), "Deploy 1.5.0");
        bare.commitDirectly("main", Map.of(OVERLAY, kustomization("1.5.0").replace("pinned by CI", "pinned by the pipeline")),
                "Reword a comment");
        bare.commitDirectly("main", Map.of("README.md", "config of guestbook\n"), "Docs");
        return bad;
    }

    @Test
    void rollsBackToTheVersionBeforeTheLastChangeAsANewCommitOnTop() throws IOException {
        String bad = deployBadRelease();
        List<String> before = bare.firstParentChain("main");

        RollbackResult result = rollback(Optional.empty());

        RollbackResult.RolledBack rolledBack = (RollbackResult.RolledBack) result;
        assertThat(rolledBack.from()).isEqualTo("1.5.0");
        assertThat(rolledBack.to()).isEqualTo(ImageVersion.parse("1.4.2"));
        assertThat(rolledBack.undone()).as("the change that a comment and a README commit did not hide").contains(bad);
        assertThat(rolledBack.commit()).isEqualTo(bare.commitOf("main"));
        assertThat(bare.firstParentChain("main")).as("never forced: the bad release stays in the history")
                .hasSize(before.size() + 1).endsWith(before.toArray(String[]::new));
        assertThat(bare.show("main", OVERLAY))
                .isEqualTo(kustomization("1.4.2").replace("pinned by CI", "pinned by the pipeline"));
        assertThat(bare.filesChangedBy("main")).containsExactly(OVERLAY);
        assertThat(bare.messages("main").get(0))
                .startsWith("Roll back " + IMAGE + " from 1.5.0 to 1.4.2\n")
                .contains("Undoes the change of " + bad + ".")
                .contains("App: guestbook");
        bare.fsck();
    }

    @Test
    void rollsBackToAnExplicitVersion() throws IOException {
        deployBadRelease();

        RollbackResult result = rollback(Optional.of(ImageVersion.parse("1.3.9")));

        RollbackResult.RolledBack rolledBack = (RollbackResult.RolledBack) result;
        assertThat(rolledBack.from()).isEqualTo("1.5.0");
        assertThat(rolledBack.to().tag()).isEqualTo("1.3.9");
        assertThat(rolledBack.undone()).isEmpty();
        assertThat(bare.show("main", OVERLAY)).contains("newTag: 1.3.9 # pinned by the pipeline");
        assertThat(bare.subjects("main").get(0)).isEqualTo("Roll back " + IMAGE + " from 1.5.0 to 1.3.9");
    }

    @Test
    void saysSoWhenTheHistoryHoldsNoEarlierVersion() throws IOException {
        bare.commitDirectly("main", Map.of("README.md", "config of guestbook\n"), "Docs");
        String tip = bare.commitOf("main");

        RollbackResult result = rollback(Optional.empty());

        assertThat(result).isInstanceOf(RollbackResult.NothingToRollBackTo.class);
        RollbackResult.NothingToRollBackTo nothing = (RollbackResult.NothingToRollBackTo) result;
        assertThat(nothing.current()).isEqualTo(ImageVersion.parse("1.4.2"));
        assertThat(nothing.reason()).contains("has had 1.4.2").contains("since the branch's first commit");
        assertThat(bare.commitOf("main")).as("nothing pushed").isEqualTo(tip);
        assertThat(git.pushes()).isZero();
    }

    @Test
    void anImageThatAppearedInItsLastChangeHasNothingToRollBackTo() throws IOException {
        String added = bare.commitDirectly("main", Map.of("apps/billing/deployment.yaml",
                deployment("ghcr.io/example-org/billing:2.0.0")), "Add billing");
        EditRequest billing = Rollback.request("ghcr.io/example-org/billing").withPaths(List.of("apps/billing"));

        RollbackResult result = Rollback.run(billing, Optional.empty(), remote(), CloneOptions.defaults(),
                temp.resolve("clone"), settings(), Optional.empty(), progress);

        assertThat(result).isInstanceOfSatisfying(RollbackResult.NothingToRollBackTo.class, nothing ->
                assertThat(nothing.reason()).contains("first appears").contains(added));
        assertThat(git.pushes()).isZero();
    }

    @Test
    void anImageNoFileReferencesIsNotFoundNotNothingToRollBackTo() {
        EditRequest other = Rollback.request("ghcr.io/example-org/other").withPaths(List.of("apps"));

        assertThatThrownBy(() -> Rollback.run(other, Optional.empty(), remote(), CloneOptions.defaults(),
                temp.resolve("clone"), settings(), Optional.empty(), progress))
                .isInstanceOf(JournalledEdits.ImageNotFoundException.class)
                .hasMessageContaining("No reference to ghcr.io/example-org/other in apps");
        assertThat(git.pushes()).isZero();
    }

    @Test
    void restoresTheDigestTheVersionBeforePinnedAndDropsOneItDidNot() throws IOException {
        bare.commitDirectly("main", Map.of("base/deployment.yaml", deployment(IMAGE + ":1.0.0@" + DIGEST)), "Pin 1.0.0");
        bare.commitDirectly("main", Map.of("base/deployment.yaml", deployment(IMAGE + ":1.1.0")), "Deploy 1.1.0");
        EditRequest base = Rollback.request(IMAGE).withPaths(List.of("base/deployment.yaml")).withKind(TargetKind.WORKLOAD);

        RollbackResult result = Rollback.run(base, Optional.empty(), remote(), CloneOptions.defaults(),
                temp.resolve("clone"), settings(), Optional.empty(), progress);

        assertThat(((RollbackResult.RolledBack) result).to()).isEqualTo(new ImageVersion("1.0.0", DIGEST));
        assertThat(bare.show("main", "base/deployment.yaml")).isEqualTo(deployment(IMAGE + ":1.0.0@" + DIGEST));

        RollbackResult again = Rollback.run(base, Optional.empty(), remote(), CloneOptions.defaults(),
                temp.resolve("clone-2"), settings(), Optional.empty(), progress);

        assertThat(((RollbackResult.RolledBack) again).to()).as("a second rollback undoes the first: it is the last change")
                .isEqualTo(new ImageVersion("1.1.0", null));
        assertThat(bare.show("main", "base/deployment.yaml")).isEqualTo(deployment(IMAGE + ":1.1.0"));
    }

    @Test
    void afterLosingARaceTheVersionReadFirstIsSetOnTheNewTip() throws IOException {
        deployBadRelease();
        EditRequest base = Rollback.request(IMAGE).withPaths(List.of(OVERLAY)).withKind(TargetKind.KUSTOMIZATION);
        try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(temp.resolve("clone"), remote(),
                CloneOptions.defaults().withDepth(0), progress)) {
            Rollback.Plan.Ready plan = (Rollback.Plan.Ready) Rollback.plan(repository.workTree(), List.of(base), IMAGE,
                    Optional.empty());
            assertThat(plan.read()).isEqualTo(ImageVersion.parse("1.5.0"));
            assertThat(plan.target()).isEqualTo(ImageVersion.parse("1.4.2"));
            // another pipeline deploys a fix between our read and our push
            String fix = bare.commitDirectly("main", Map.of(OVERLAY, kustomization("1.5.1")), "Deploy 1.5.1");

            RollbackResult result = Rollback.push(repository, plan, settings(), Optional.of("guestbook"), progress);

            RollbackResult.RolledBack rolledBack = (RollbackResult.RolledBack) result;
            assertThat(rolledBack.attempts()).isEqualTo(2);
            assertThat(rolledBack.from()).as("what the branch had when the rollback landed").isEqualTo("1.5.1");
            assertThat(rolledBack.to()).as("decided from what was read, not re-decided on the new tip")
                    .isEqualTo(ImageVersion.parse("1.4.2"));
            assertThat(bare.show("main", OVERLAY)).contains("newTag: 1.4.2");
            assertThat(bare.firstParentChain("main").get(1)).as("on top of the other push, not instead of it").isEqualTo(fix);
            assertThat(bare.subjects("main").get(0)).isEqualTo("Roll back " + IMAGE + " from 1.5.1 to 1.4.2");
        }
    }

    @Test
    void theRolledBackVersionStaysUntilAnUpdateExplicitlyChangesIt() throws IOException {
        deployBadRelease();
        rollback(Optional.empty());
        String rollbackCommit = bare.commitOf("main");
        GitTarget target = ApplicationTargets.resolve(application(), ImageUpdate.tag(IMAGE, "1.4.2")).get(0);

        UpdateResult same = ApplicationUpdate.run(target, EditRequest.of(ImageUpdate.tag(IMAGE, "1.4.2")), remote(),
                CloneOptions.defaults(), temp.resolve("same"), new UpdateLoop(settings(), progress), progress);

        assertThat(same).as("the rollback is the branch's state, not an override a later write-back reverts")
                .isInstanceOf(UpdateResult.NoChange.class);
        assertThat(bare.commitOf("main")).isEqualTo(rollbackCommit);

        UpdateResult next = ApplicationUpdate.run(target, EditRequest.of(ImageUpdate.tag(IMAGE, "1.5.2")), remote(),
                CloneOptions.defaults(), temp.resolve("next"), new UpdateLoop(settings(), progress), progress);

        assertThat(next).isInstanceOf(UpdateResult.Pushed.class);
        assertThat(bare.subjects("main").get(0)).as("the next version is a commit of its own")
                .isEqualTo("Update " + IMAGE + " from 1.4.2 to 1.5.2");
        assertThat(bare.firstParentChain("main").get(1)).isEqualTo(rollbackCommit);
    }
}
