package io.jenkins.plugins.gitops.core.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Waiting for a merge: the merge commit when merged, an error at once when closed, a clear timeout. */
class MergeWaiterTest {

    private static final String MERGE_COMMIT = "8d1c5bb4a2f1e0c9d7b6a5f4e3d2c1b0a9f8e7d6";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static long open(FakeForge fake, PullRequestApi api) throws InterruptedException {
        return PullRequestApi.join(api.upsert(new PullRequestSpec("gitops/main/app", "main", "Update app", "", List.of(), false)))
                .pullRequest().number();
    }

    private CompletableFuture<PullRequest> await(PullRequestApi api, long number, Duration timeout) {
        return new MergeWaiter(scheduler, Clock.systemUTC()).start(api, number, timeout, Duration.ofMillis(20), progress::add);
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void completesWithTheMergeCommitOnceMerged(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            PullRequestApi api = forge.connect(fake);
            long number = open(fake, api);
            CompletableFuture<PullRequest> merged = await(api, number, Duration.ofMinutes(5));
            int readsBefore = fake.calls("GET", ".*/" + number).size();
            while (fake.calls("GET", ".*/" + number).size() == readsBefore) {
                Thread.sleep(5); // until the wait has seen it open at least once
            }

            fake.merge(number, MERGE_COMMIT);

            PullRequest pr = merged.get(1, TimeUnit.MINUTES);
            assertThat(pr.state()).isEqualTo(PullRequest.State.MERGED);
            assertThat(pr.mergeCommit()).contains(MERGE_COMMIT);
            assertThat(progress).anySatisfy(line -> assertThat(line).contains("was merged as " + MERGE_COMMIT));
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void failsAtOnceWhenClosedWithoutMerge(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            PullRequestApi api = forge.connect(fake);
            long number = open(fake, api);
            fake.closeUnmerged(number);

            CompletableFuture<PullRequest> wait = await(api, number, Duration.ofMinutes(5));

            assertThatThrownBy(() -> PullRequestApi.join(wait)).isInstanceOfSatisfying(PullRequestException.class, e -> {
                assertThat(e.kind()).isEqualTo(PullRequestException.Kind.CLOSED_UNMERGED);
                assertThat(e.getMessage()).contains("closed without being merged");
            });
            assertThat(fake.calls("GET", ".*/" + number)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void timesOutClearlyWhenItStaysOpen(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            PullRequestApi api = forge.connect(fake);
            long number = open(fake, api);

            CompletableFuture<PullRequest> wait = await(api, number, Duration.ofMillis(200));

            assertThatThrownBy(() -> PullRequestApi.join(wait)).isInstanceOfSatisfying(PullRequestException.class, e -> {
                assertThat(e.kind()).isEqualTo(PullRequestException.Kind.TIMEOUT);
                assertThat(e.getMessage()).contains("still not merged after 200 ms", "stays open");
            });
        }
    }
}
