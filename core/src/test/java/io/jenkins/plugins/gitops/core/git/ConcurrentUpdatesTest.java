package io.jenkins.plugins.gitops.core.git;

import static io.jenkins.plugins.gitops.core.git.GitServers.PASSWORD;
import static io.jenkins.plugins.gitops.core.git.GitServers.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many pipelines pushing to one config repository at the same moment, over real smart HTTP. */
class ConcurrentUpdatesTest {

    private static final int UPDATERS = 16;
    /**
     * Fewer for partial clones: with the test's short waits, 16 racers on a loaded 2-CPU machine can exhaust the
     * attempt bound whichever clone they use; bench/git-push.sh races 16 with the production waits.
     */
    private static final int PARTIAL_UPDATERS = 8;

    /** The default attempt bound, with shorter waits than production so that the suite stays fast. */
    // Each lost race means another updater landed, so as many attempts as updaters let every one land whatever the
    // machine's load; the default (10) is what the benchmark reports on.
    private static final UpdateLoop.Settings SETTINGS = UpdateLoop.Settings.defaults().withMaxAttempts(UPDATERS).withBackoff(new Backoff(
            Duration.ofMillis(200), Duration.ofSeconds(4), RandomGenerator.of("L64X128MixRandom"), d -> Thread.sleep(d.toMillis())));

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = GitServers.configRepository(served, UPDATERS);
        server = GitHttpServer.start(served, USER, PASSWORD);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void sixteenUpdatersOfDifferentAppsAllLandWithoutForce() throws Exception {
        String start = bare.commitOf("main");

        List<UpdateResult> results = race(i -> new ImageLineEdit(GitServers.appFile(i), GitServers.image(i), "2.0." + i));

        assertThat(results).allSatisfy(result -> {
            assertThat(result).isInstanceOf(UpdateResult.Pushed.class);
            assertThat(result.attempts()).isBetween(1, UPDATERS);
        });
        List<String> chain = bare.firstParentChain("main");
        assertThat(chain).hasSize(UPDATERS + 1).endsWith(start);
        assertThat(chain).containsAll(results.stream().map(r -> ((UpdateResult.Pushed) r).commit()).toList());
        for (int i = 0; i < UPDATERS; i++) {
            assertThat(bare.show("main", GitServers.appFile(i))).contains("app" + i + ":2.0." + i);
        }
        assertThat(bare.subjects("main")).filteredOn(s -> s.startsWith("Update ")).hasSize(UPDATERS);
        bare.fsck();
    }

    @Test
    void partialClonesOfOneAppEachAllLand() throws Exception {
        server.allowFilters(); // each updater fetches the trees and its own app's blobs, again after every lost race
        List<UpdateResult> results = race(PARTIAL_UPDATERS,
                i -> CloneOptions.defaults().withCheckoutPaths(List.of("apps/app" + i)),
                i -> new ImageLineEdit(GitServers.appFile(i), GitServers.image(i), "2.0." + i));

        assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(UpdateResult.Pushed.class));
        assertThat(bare.firstParentChain("main")).hasSize(PARTIAL_UPDATERS + 1);
        for (int i = 0; i < PARTIAL_UPDATERS; i++) {
            assertThat(bare.show("main", GitServers.appFile(i))).contains("app" + i + ":2.0." + i);
        }
        bare.fsck();
    }

    @Test
    void updatersRacingOnTheSameImageConvergeToOneConsistentState() throws Exception {
        List<UpdateResult> results = race(i -> new ImageLineEdit(GitServers.appFile(0), GitServers.image(0), "3.0.0"));

        // Updaters that commit the same edit in the same second make the very same commit: a second push of it finds
        // the branch already there and is done too. One commit lands, whoever pushed it; every other updater sees no
        // change left to make.
        List<String> landed = pushedCommits(results);
        assertThat(landed).hasSize(1);
        assertThat(results).filteredOn(UpdateResult.NoChange.class::isInstance)
                .hasSize(UPDATERS - (int) results.stream().filter(UpdateResult.Pushed.class::isInstance).count());
        assertThat(bare.show("main", GitServers.appFile(0))).contains("app0:3.0.0");
        assertThat(bare.firstParentChain("main")).hasSize(2);
        bare.fsck();
    }

    private List<UpdateResult> race(IntFunction<WorkTreeEdit> edits) throws Exception {
        return race(UPDATERS, i -> CloneOptions.defaults(), edits);
    }

    private List<UpdateResult> race(int updaters, IntFunction<CloneOptions> options, IntFunction<WorkTreeEdit> edits)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(updaters);
        ExecutorService pool = Executors.newFixedThreadPool(updaters);
        try {
            List<Future<UpdateResult>> futures = new ArrayList<>();
            for (int i = 0; i < updaters; i++) {
                int updater = i;
                futures.add(pool.submit(() -> {
                    GitRemote remote = new GitRemote(
                            server.url(bare.name()), GitCredentials.usernamePassword(USER, PASSWORD), HostKeyPolicy.off());
                    try (JGitConfigRepository repository = JGitConfigRepository.cloneInto(
                            temp.resolve("updater-" + updater), remote, options.apply(updater), GitProgress.silent())) {
                        start.await(5, TimeUnit.MINUTES); // every clone is done: all push at the same moment
                        return new UpdateLoop(SETTINGS, GitProgress.silent()).run(repository, edits.apply(updater));
                    }
                }));
            }
            List<UpdateResult> results = new ArrayList<>();
            for (Future<UpdateResult> future : futures) {
                results.add(future.get(10, TimeUnit.MINUTES));
            }
            System.out.println("attempts: " + results.stream().map(UpdateResult::attempts).sorted().toList());
            // all cloned the same commit, so one commit lands at the first attempt and every other one lost a race:
            // the race this test is about did happen
            List<UpdateResult> first = results.stream().filter(result -> result.attempts() == 1).toList();
            assertThat(first).isNotEmpty().allSatisfy(result -> assertThat(result).isInstanceOf(UpdateResult.Pushed.class));
            assertThat(pushedCommits(first)).hasSize(1);
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The distinct commits the results say they pushed. */
    private static List<String> pushedCommits(List<UpdateResult> results) {
        return results.stream().filter(UpdateResult.Pushed.class::isInstance)
                .map(result -> ((UpdateResult.Pushed) result).commit()).distinct().toList();
    }
}
