package io.jenkins.plugins.gitops.core.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.argocd.Application.HelmParameter;
import io.jenkins.plugins.gitops.core.testing.SharedData;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeApplication;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.argocd.RecordedRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every call of the client against the fake, which validates each request body it receives and each response it
 * serves against swagger.json (with CONTRACT.md's deviations) and fails on {@code close()} when any violated it.
 */
class ArgoCdClientContractTest {

    private static final String SHA = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";

    @Test
    void everyCallStaysWithinTheContract() throws Exception {
        SharedData.require("argocd/swagger.json");
        try (FakeArgoCd argo = FakeArgoCd.start().setRevision("main", SHA)) {
            assertThat(argo.validatesContract()).as("swagger.json from ../shared is loaded").isTrue();
            FakeApplication fakeApp = argo.createApp("guestbook").kustomizeImages("ghcr.io/example-org/guestbook:1.4.2")
                    .holdOperations();
            ArgoCdClient client = new ArgoCdClient(argo.uri(),
                    new ArgoCdCredentials.Login(FakeArgoCd.USERNAME, FakeArgoCd.PASSWORD), HttpClient.newHttpClient());
            ApplicationRef app = new ApplicationRef("guestbook", FakeArgoCd.CONTROLLER_NAMESPACE, null);

            assertThat(client.userInfo().join().username()).isEqualTo(FakeArgoCd.USERNAME);
            assertThat(client.get(app, Refresh.HARD).join().status().sync().revision()).isEqualTo(SHA);
            assertThat(client.override(app, new SpecOverride(List.of("ghcr.io/example-org/guestbook:1.4.3"),
                    List.of(new HelmParameter("image.tag", "1.4.3", true)), null)).join()).isTrue();
            LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
            WatchHandle watch = client.watch(app, null, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    events.add(event);
                }

                @Override
                public void onClosed(Throwable error) {}
            });
            SyncRequest everything = SyncRequest.defaults().withRevision(SHA).withPrune(true)
                    .withResources(List.of(new SyncRequest.Resource("apps", "Deployment", "guestbook", "guestbook-ui")))
                    .withSyncOptions(List.of("CreateNamespace=true", "ServerSideApply=true"))
                    .withStrategy(new SyncRequest.Strategy(SyncRequest.Strategy.Kind.APPLY, true))
                    .withRetry(new SyncRequest.RetryStrategy(2, true, Duration.ofSeconds(5), 2, Duration.ofMinutes(3)))
                    .withInfo(new Application.Info("build", "142"));
            Application synced = client.sync(app, everything).join();
            assertThat(synced.operation().info()).contains(new Application.Info("build", "142"));
            // Argo CD terminates only an operation its controller has started.
            fakeApp.await(json -> json.path("status").path("operationState").path("phase").asText().equals("Running"),
                    Duration.ofSeconds(30));
            client.terminate(app).join();
            assertThat(events.poll(30, TimeUnit.SECONDS)).isNotNull();
            watch.close();

            assertThat(argo.requests()).extracting(r -> r.method() + " " + r.path()).contains(
                    "POST /api/v1/session", "GET /api/v1/session/userinfo", "GET /api/v1/applications/guestbook",
                    "PUT /api/v1/applications/guestbook/spec", "GET /api/v1/stream/applications",
                    "POST /api/v1/applications/guestbook/sync", "DELETE /api/v1/applications/guestbook/operation");
            assertThat(argo.requests()).filteredOn(r -> !r.method().equals("GET"))
                    .extracting(r -> r.header("Content-Type")).containsOnly("application/json");
            assertThat(argo.app("guestbook").json().path("spec").path("source").path("kustomize").path("images")
                    .get(0).asText()).isEqualTo("ghcr.io/example-org/guestbook:1.4.3");
            argo.assertNoContractViolations();
        }
    }

    @Test
    void terminatingWhenNothingRunsIsNotAnError() {
        try (FakeArgoCd argo = FakeArgoCd.start().setRevision("main", SHA)) {
            argo.createApp("guestbook");
            ArgoCdClient client = new ArgoCdClient(argo.uri(),
                    new ArgoCdCredentials.Token(argo.issueToken(FakeArgoCd.USERNAME)), HttpClient.newHttpClient());

            client.terminate(ApplicationRef.of("guestbook")).join();

            List<RecordedRequest> deletes = argo.requests("DELETE", "/api/v1/applications/guestbook/operation");
            assertThat(deletes).hasSize(1);
        }
    }
}
