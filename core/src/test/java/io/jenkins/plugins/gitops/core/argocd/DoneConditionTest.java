package io.jenkins.plugins.gitops.core.argocd;

import static io.jenkins.plugins.gitops.core.argocd.AppState.NEW;
import static io.jenkins.plugins.gitops.core.argocd.AppState.OLD;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.argocd.Application.Info;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DoneConditionTest {

    private static final Info MARKER = new Info(SyncWaiter.MARKER_NAME, "wait-1");

    @Test
    void doneWhenSyncedHealthyAtExpectedRevisionAfterReconcile() {
        var verdict = DoneCondition.evaluate(AppState.syncedHealthy(NEW).app(), Expectation.atRevision(NEW));
        assertThat(verdict).isEqualTo(new WaitVerdict.Done(NEW, HealthStatusCode.Healthy));
    }

    @ParameterizedTest(name = "expected {0}: done {1}")
    @CsvSource(delimiter = '|', textBlock = """
            8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c | true
            8B1E0C4F9A7D2E3B6C5A4F1E0D9C8B7A6F5E4D3C | true
            8b1e0c4                                  | true
            8B1E0C4F9A                               | true
            8b1e0c                                   | false
            8b1e0c5                                  | false
            9d2c41a                                  | false
            8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c0| false
            """)
    void anAbbreviatedShaOfSevenHexDigitsOrMoreNamesTheFullOne(String expected, boolean done) {
        var verdict = DoneCondition.evaluate(AppState.syncedHealthy(NEW).app(), Expectation.atRevision(expected));
        assertThat(verdict instanceof WaitVerdict.Done).as(verdict.reason()).isEqualTo(done);
    }

    @Test
    void staleSucceededOperationForOlderRevisionDoesNotCount() {
        // The trap: everything looks green, but for the commit before ours.
        var verdict = DoneCondition.evaluate(AppState.syncedHealthy(OLD).app(), Expectation.atRevision(NEW));
        assertThat(verdict).isInstanceOf(WaitVerdict.Waiting.class);
        assertThat(verdict.reason()).contains("deployed revision " + OLD).contains("waiting for one deploying " + NEW);
    }

    @Test
    void succeededOperationWithoutOurMarkerDoesNotCount() {
        var app = AppState.syncedHealthy(NEW).operationInfo(SyncWaiter.MARKER_NAME, "someone-else").app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW).withOperationMarker(MARKER));
        assertThat(verdict).isInstanceOf(WaitVerdict.Waiting.class);
        assertThat(verdict.reason()).contains("last operation is an older one");
    }

    @Test
    void ourMarkedOperationCounts() {
        var app = AppState.syncedHealthy(NEW).operationInfo(MARKER.name(), MARKER.value()).app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW).withOperationMarker(MARKER)))
                .isInstanceOf(WaitVerdict.Done.class);
    }

    @Test
    void ourOperationLandingOnAnotherRevisionFails() {
        var app = AppState.syncedHealthy(OLD).operationInfo(MARKER.name(), MARKER.value()).app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW).withOperationMarker(MARKER));
        assertThat(verdict).isInstanceOf(WaitVerdict.Failed.class);
        assertThat(verdict.reason()).contains("deployed revision " + OLD + ", not the expected " + NEW);
    }

    @Test
    void requestedOperationIsStillInProgressEvenWhenStatusLooksDone() {
        var app = AppState.syncedHealthy(NEW).requested(NEW, MARKER.name(), MARKER.value()).app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW).withOperationMarker(MARKER));
        assertThat(verdict).isEqualTo(new WaitVerdict.Waiting("sync requested; waiting for the controller to start it"));
    }

    @Test
    void someoneElsesRequestedOperationIsNamed() {
        var app = AppState.syncedHealthy(NEW).requested(NEW, null, null).app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW).withOperationMarker(MARKER));
        assertThat(verdict.reason()).isEqualTo("another operation is in progress (started by someone); waiting for it to end");
    }

    @Test
    void runningOperationWaitsWithItsPhaseAndMessage() {
        var app = AppState.syncedHealthy(NEW).operationState("Running", NEW, "waiting for completion of hook").app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW));
        assertThat(verdict).isEqualTo(new WaitVerdict.Waiting("sync operation Running: waiting for completion of hook"));
    }

    @Test
    void failedOperationFailsNamingTheFailedResources() {
        var app = AppState.syncedHealthy(NEW).operationState("Failed", NEW, "one or more objects failed to apply")
                .resultResource("Deployment", "guestbook-ui", "SyncFailed", null, "Failed", "field is immutable")
                .resultResource("Job", "migrate", "Synced", "PreSync", "Failed", "BackoffLimitExceeded")
                .resultResource("Service", "guestbook-ui", "Synced", null, "Running", "unchanged")
                .app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW));
        assertThat(verdict).isInstanceOf(WaitVerdict.Failed.class);
        assertThat(verdict.reason()).isEqualTo("sync operation Failed: one or more objects failed to apply");
        assertThat(((WaitVerdict.Failed) verdict).resources()).extracting(Object::toString).containsExactly(
                "Deployment/guestbook/guestbook-ui: SyncFailed: field is immutable",
                "Job/guestbook/migrate: PreSync hook Failed: BackoffLimitExceeded");
    }

    @Test
    void erroredOperationFails() {
        var app = AppState.syncedHealthy(NEW).operationState("Error", NEW, "rpc error: repository not accessible").app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW)).reason())
                .isEqualTo("sync operation Error: rpc error: repository not accessible");
    }

    @Test
    void waitsUntilReconciledAfterTheOperationFinished() {
        var app = AppState.syncedHealthy(NEW).reconciledAt("2026-08-20T10:00:29Z").app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW));
        assertThat(verdict.reason()).contains("waiting for the controller to compare the live state again");
    }

    @Test
    void reconciledAtEqualToFinishedAtCounts() {
        var app = AppState.syncedHealthy(NEW).reconciledAt("2026-08-20T10:00:30Z").app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW))).isInstanceOf(WaitVerdict.Done.class);
    }

    @Test
    void neverReconciledIsNotDone() {
        var app = AppState.syncedHealthy(NEW);
        ((com.fasterxml.jackson.databind.node.ObjectNode) app.root.get("status")).remove("reconciledAt");
        assertThat(DoneCondition.evaluate(app.app(), Expectation.atRevision(NEW))).isInstanceOf(WaitVerdict.Waiting.class);
    }

    @Test
    void outOfSyncAfterSucceededOperationWaits() {
        var app = AppState.syncedHealthy(NEW).sync("OutOfSync", NEW)
                .resource("", "ConfigMap", "guestbook", "settings", "OutOfSync", "Healthy", null).app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW)).reason())
                .isEqualTo("sync status is OutOfSync (1 resource OutOfSync)");
    }

    @Test
    void pruneSkippedResourcesFailWithACount() {
        var app = AppState.syncedHealthy(NEW).sync("OutOfSync", NEW)
                .resultResource("ConfigMap", "old-settings", "PruneSkipped", null, null, "ignored (requires pruning)")
                .app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW));
        assertThat(verdict).isInstanceOf(WaitVerdict.Failed.class);
        assertThat(verdict.reason()).startsWith("1 resource requires pruning");
    }

    @Test
    void liveStateComparedWithAnotherRevisionWaits() {
        var app = AppState.syncedHealthy(NEW).sync("Synced", OLD).app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW)).reason())
                .isEqualTo("the live state is compared with revision " + OLD + "; waiting for " + NEW);
    }

    @Test
    void progressingHealthWaits() {
        var app = AppState.syncedHealthy(NEW).health("Progressing", "Waiting for rollout to finish").app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW)).reason())
                .isEqualTo("health is Progressing: Waiting for rollout to finish");
    }

    @Test
    void degradedAfterOurOperationFailsNamingTheDegradedResources() {
        var app = AppState.syncedHealthy(NEW).health("Degraded", "Deployment has timed out progressing")
                .resource("apps", "Deployment", "guestbook", "api", "Synced", "Degraded", "ImagePullBackOff")
                .app();
        var verdict = DoneCondition.evaluate(app, Expectation.atRevision(NEW));
        assertThat(verdict).isInstanceOf(WaitVerdict.Failed.class);
        assertThat(verdict.reason()).isEqualTo("application health is Degraded: Deployment has timed out progressing");
        assertThat(((WaitVerdict.Failed) verdict).resources()).extracting(Object::toString)
                .containsExactly("Deployment/guestbook/api: Degraded: ImagePullBackOff");
    }

    @Test
    void degradedWhileTheOperationRunsStillWaits() {
        var app = AppState.syncedHealthy(NEW).health("Degraded").operationState("Running", NEW, "applying").app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW))).isInstanceOf(WaitVerdict.Waiting.class);
    }

    @Test
    void acceptedHealthSetIsConfigurable() {
        var app = AppState.syncedHealthy(NEW).health("Suspended").app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW))).isInstanceOf(WaitVerdict.Waiting.class);
        var suspendedIsFine = Expectation.atRevision(NEW)
                .withAcceptedHealth(Set.of(HealthStatusCode.Healthy, HealthStatusCode.Suspended));
        assertThat(DoneCondition.evaluate(app, suspendedIsFine))
                .isEqualTo(new WaitVerdict.Done(NEW, HealthStatusCode.Suspended));
    }

    @Test
    void anyRevisionAcceptedWhenNoneExpected() {
        assertThat(DoneCondition.evaluate(AppState.syncedHealthy(OLD).app(), Expectation.atRevision(null)))
                .isEqualTo(new WaitVerdict.Done(OLD, HealthStatusCode.Healthy));
    }

    @Test
    void noOperationYetWaitsForOurs() {
        var app = AppState.syncedHealthy(NEW).noOperationState().app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW).withOperationMarker(MARKER)).reason())
                .isEqualTo("no sync operation has run yet");
    }

    @Test
    void appThatNeverRanAnOperationIsJudgedByItsLiveState() {
        var app = AppState.syncedHealthy(NEW).noOperationState();
        assertThat(DoneCondition.evaluate(app.app(), Expectation.atRevision(NEW))).isInstanceOf(WaitVerdict.Done.class);
        assertThat(DoneCondition.evaluate(app.app(), Expectation.atRevision(OLD)).reason())
                .isEqualTo("the live state is compared with revision " + NEW + "; waiting for " + OLD);
    }

    @Test
    void dryRunIsDoneOnceItsOperationSucceeded() {
        var app = AppState.syncedHealthy(NEW).sync("OutOfSync", OLD).health("Progressing")
                .reconciledAt("2026-08-20T09:00:00Z").app();
        assertThat(DoneCondition.evaluate(app, Expectation.atRevision(NEW).withDryRun(true)))
                .isInstanceOf(WaitVerdict.Done.class);
    }

    @Test
    void readsTheContractExamples() throws Exception {
        var healthy = ApplicationJson.parse(Files.readString(
                SharedData.require("argocd/examples/app-synced-healthy.json")));
        assertThat(DoneCondition.evaluate(healthy, Expectation.atRevision(NEW))).isInstanceOf(WaitVerdict.Done.class);

        var midSync = ApplicationJson.parse(Files.readString(SharedData.require("argocd/examples/app-mid-sync.json")));
        assertThat(midSync.operation()).isNotNull();
        assertThat(DoneCondition.evaluate(midSync, Expectation.atRevision(NEW)).reason())
                .isEqualTo("sync operation Running: waiting for completion of hook batch/Job/guestbook-db-migrate");

        var failed = ApplicationJson.parse(Files.readString(SharedData.require("argocd/examples/app-sync-failed.json")));
        var verdict = DoneCondition.evaluate(failed, Expectation.atRevision(NEW));
        assertThat(verdict).isInstanceOf(WaitVerdict.Failed.class);
        assertThat(((WaitVerdict.Failed) verdict).resources()).singleElement()
                .satisfies(p -> assertThat(p.displayName()).isEqualTo("Deployment/guestbook/guestbook-ui"));
    }
}
