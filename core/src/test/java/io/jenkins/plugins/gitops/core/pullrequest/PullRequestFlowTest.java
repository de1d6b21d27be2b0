package io.jenkins.plugins.gitops.core.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.git.Backoff;
import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.GitCredentials;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.GitRemote;
import io.jenkins.plugins.gitops.core.git.HostKeyPolicy;
import io.jenkins.plugins.gitops.core.git.JGitConfigRepository;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import io.jenkins.plugins.gitops.core.testing.forge.FakePullRequest;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.update.JournalledEdits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** The pull request path end to end: a real git server over smart HTTP for the branch, a fake provider API for the request. */
class PullRequestFlowTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "s3cr3t-git-Pa55word";
    private static final String GUESTBOOK = "ghcr.io/example-org/guestbook";
    private static final String WORKER = "ghcr.io/example-org/worker";

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer git;

    @BeforeEach
    void startGitServer() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = BareRepository.create(served, "config.git", "main", Map.of(
                "apps/guestbook/kustomization.yaml", kustomization(GUESTBOOK, "1.4.2") + kustomizationImage(WORKER, "0.9.0")));
        git = GitHttpServer.start(served, USER, PASSWORD);
    }

    @AfterEach
    void stopGitServer() {
        git.close();
    }

    private static String kustomization(String image, String tag) {
        return "resources:\n  - deployment.yaml\nimages:\n" + kustomizationImage(image, tag);
    }

    private static String kustomizationImage(String image, String tag) {
        return "  - name: " + image + "\n    newTag: " + tag + "\n";
    }

    private PullRequestFlow.Outcome publish(PullRequestApi api, ImageUpdate update, PullRequestTemplate branchTemplate,
            PullRequestFlow.Settings settings) throws Exception {
        List<JournalledEdits.Entry> entries = List.of(new JournalledEdits.Entry("apps/guestbook", EditRequest.of(update), List.of()));
        Map<String, String> values = new HashMap<>(JournalledEdits.messageValues(entries, Optional.of("guestbook")));
        values.put("base", "main");
        String head = branchTemplate.renderBranch(values);
        try (JGitConfigRepository repository = checkout(head)) {
            return publish(api, repository, update, settings);
        }
    }

    /** A pipeline's checkout of main that pushes to {@code head}. */
    private JGitConfigRepository checkout(String head) {
        GitRemote remote = new GitRemote(git.url(bare.name()), GitCredentials.usernamePassword(USER, PASSWORD), HostKeyPolicy.off());
        return JGitConfigRepository.cloneInto(temp.resolve(UUID.randomUUID().toString()), remote,
                CloneOptions.defaults().withBranch("main").withPushBranch(head), GitProgress.silent());
    }

    private PullRequestFlow.Outcome publish(PullRequestApi api, JGitConfigRepository repository, ImageUpdate update,
            PullRequestFlow.Settings settings) throws Exception {
        List<JournalledEdits.Entry> entries = List.of(new JournalledEdits.Entry("apps/guestbook", EditRequest.of(update), List.of()));
        UpdateLoop loop = new UpdateLoop(UpdateLoop.Settings.defaults().withBackoff(new Backoff(Duration.ofMillis(50),
                Duration.ofMillis(400), RandomGenerator.of("L64X128MixRandom"), d -> Thread.sleep(d.toMillis()))), GitProgress.silent());
        return new PullRequestFlow(api, settings, GitProgress.silent())
                .publish(repository, loop, Optional.of(JournalledEdits.replay(entries, Optional.of("guestbook"))), Optional.empty());
    }

    private PullRequestFlow.Outcome publish(PullRequestApi api, ImageUpdate update) throws Exception {
        return publish(api, update, PullRequestTemplate.DEFAULT_BRANCH, PullRequestFlow.Settings.defaults());
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void opensAPullRequestFromItsOwnBranchWithATableOfTheChanges(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            PullRequestFlow.Settings settings = new PullRequestFlow.Settings(PullRequestTemplate.DEFAULT_TITLE,
                    PullRequestTemplate.DEFAULT_BODY, List.of("gitops", "deploy"), false, Optional.of("https://ci.example.test/job/7/"));

            PullRequestFlow.Outcome outcome = publish(forge.connect(fake), ImageUpdate.tag(GUESTBOOK, "1.5.0"),
                    PullRequestTemplate.DEFAULT_BRANCH, settings);

            assertThat(outcome).isInstanceOfSatisfying(PullRequestFlow.Outcome.Opened.class, opened -> {
                assertThat(opened.created()).isTrue();
                assertThat(opened.pushed()).isTrue();
                assertThat(opened.branch()).isEqualTo("gitops/main/guestbook/guestbook");
                assertThat(opened.commit()).isEqualTo(bare.commitOf("gitops/main/guestbook/guestbook"));
                assertThat(opened.pullRequest().state()).isEqualTo(PullRequest.State.OPEN);
                assertThat(opened.pullRequest().url()).startsWith("http://127.0.0.1:");
            });
            assertThat(bare.show("gitops/main/guestbook/guestbook", "apps/guestbook/kustomization.yaml")).contains("newTag: 1.5.0");
            assertThat(bare.show("main", "apps/guestbook/kustomization.yaml")).contains("newTag: 1.4.2");
            FakePullRequest pr = fake.pulls().get(0);
            assertThat(fake.pulls()).hasSize(1);
            assertThat(pr.head()).isEqualTo("gitops/main/guestbook/guestbook");
            assertThat(pr.base()).isEqualTo("main");
            assertThat(pr.title()).isEqualTo("Update " + GUESTBOOK + " to 1.5.0");
            assertThat(pr.body()).contains("| File | Image | Old → New |",
                    "| `apps/guestbook/kustomization.yaml` | " + GUESTBOOK + " | `1.4.2` → `1.5.0` |",
                    "Build: https://ci.example.test/job/7/");
            assertThat(pr.labels()).containsExactlyInAnyOrder("gitops", "deploy");
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void theNextBuildUpdatesTheOpenPullRequestInsteadOfOpeningAnother(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            PullRequestApi api = forge.connect(fake);
            PullRequestFlow.Outcome first = publish(api, ImageUpdate.tag(GUESTBOOK, "1.5.0"));

            PullRequestFlow.Outcome second = publish(api, ImageUpdate.tag(GUESTBOOK, "1.6.0"));

            assertThat(second).isInstanceOfSatisfying(PullRequestFlow.Outcome.Opened.class, opened -> {
                assertThat(opened.created()).isFalse();
                assertThat(opened.pullRequest().number()).isEqualTo(((PullRequestFlow.Outcome.Opened) first).pullRequest().number());
            });
            assertThat(fake.pulls()).singleElement().satisfies(pr -> {
                assertThat(pr.title()).isEqualTo("Update " + GUESTBOOK + " to 1.6.0");
                // What the branch changes against main, where the image is still at 1.4.2: one row, not 1.5.0 → 1.6.0.
                assertThat(pr.body()).contains("| " + GUESTBOOK + " | `1.4.2` → `1.6.0` |").doesNotContain("`1.5.0`");
            });
            assertThat(bare.subjects("gitops/main/guestbook/guestbook")).hasSize(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void opensNoneWhenTheBaseAlreadyHasTheValues(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            PullRequestFlow.Outcome outcome = publish(forge.connect(fake), ImageUpdate.tag(GUESTBOOK, "1.4.2"));

            assertThat(outcome).isInstanceOfSatisfying(PullRequestFlow.Outcome.NothingToChange.class,
                    none -> assertThat(none.reason()).contains("nothing to change", "no "));
            assertThat(fake.pulls()).isEmpty();
            assertThat(fake.calls()).noneMatch(call -> call.method().equals("POST"));
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void aCreationRefusedAsDuplicateReusesThePullRequestAnotherPipelineOpened(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            fake.raceNextCreate();

            PullRequestFlow.Outcome outcome = publish(forge.connect(fake), ImageUpdate.tag(GUESTBOOK, "1.5.0"));

            assertThat(outcome).isInstanceOfSatisfying(PullRequestFlow.Outcome.Opened.class, opened -> assertThat(opened.created()).isFalse());
            assertThat(fake.pulls()).singleElement().satisfies(pr -> assertThat(pr.title()).isEqualTo("Update " + GUESTBOOK + " to 1.5.0"));
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void twoPipelinesOnTheSameHeadEndInOnePullRequestHoldingBothChanges(Forges forge) throws Exception {
        PullRequestTemplate perApp = new PullRequestTemplate("gitops/${base}/${app}");
        try (FakeForge fake = forge.start()) {
            PullRequestApi api = forge.connect(fake);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pipelines = Executors.newFixedThreadPool(2);
            try {
                List<Future<PullRequestFlow.Outcome>> outcomes = List.of(GUESTBOOK, WORKER).stream().map(image -> pipelines.submit(() -> {
                    start.await();
                    return publish(api, ImageUpdate.tag(image, "2.0.0"), perApp, PullRequestFlow.Settings.defaults());
                })).toList();
                for (Future<PullRequestFlow.Outcome> outcome : outcomes) {
                    assertThat(outcome.get()).isInstanceOf(PullRequestFlow.Outcome.Opened.class);
                }
            } finally {
                pipelines.shutdownNow();
            }
            assertThat(fake.pulls()).filteredOn(pr -> pr.state() == FakePullRequest.State.OPEN).hasSize(1);
            String onBranch = bare.show("gitops/main/guestbook", "apps/guestbook/kustomization.yaml");
            assertThat(onBranch).contains(GUESTBOOK + "\n    newTag: 2.0.0", WORKER + "\n    newTag: 2.0.0");
            bare.fsck();
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void afterARaceOnTheSameHeadTheBodyDescribesBothPipelinesChanges(Forges forge) throws Exception {
        PullRequestTemplate perApp = new PullRequestTemplate("gitops/${base}/${app}");
        try (FakeForge fake = forge.start()) {
            PullRequestApi api = forge.connect(fake);
            // The second pipeline checked main out before the first one pushed: its push loses the race, and it
            // re-applies its edit on the first one's commit, then updates the first one's pull request.
            try (JGitConfigRepository late = checkout("gitops/main/guestbook")) {
                publish(api, ImageUpdate.tag(GUESTBOOK, "2.0.0"), perApp, PullRequestFlow.Settings.defaults());
                PullRequestFlow.Outcome outcome = publish(api, late, ImageUpdate.tag(WORKER, "1.0.0"), PullRequestFlow.Settings.defaults());

                assertThat(outcome).isInstanceOfSatisfying(PullRequestFlow.Outcome.Opened.class, opened -> {
                    assertThat(opened.created()).isFalse();
                    assertThat(opened.pushed()).isTrue();
                });
            }
            assertThat(bare.firstParentChain("gitops/main/guestbook")).hasSize(3); // main's, the first's, the second's on top
            assertThat(fake.pulls()).singleElement().satisfies(pr -> assertThat(pr.body()).contains(
                    "| `apps/guestbook/kustomization.yaml` | " + GUESTBOOK + " | `1.4.2` → `2.0.0` |",
                    "| `apps/guestbook/kustomization.yaml` | " + WORKER + " | `0.9.0` → `1.0.0` |"));
            // The tip's message carries the branch's whole change, for the next pipeline that builds on it.
            assertThat(bare.messages("gitops/main/guestbook").get(0)).contains(
                    "Gitops-Change: {\"file\":\"apps/guestbook/kustomization.yaml\",\"image\":\"" + GUESTBOOK
                            + "\",\"old\":\"1.4.2\",\"new\":\"2.0.0\"}");
        }
    }
}
