package io.jenkins.plugins.gitops.core.testing.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many concurrent watches, as the waiter benchmark opens them, cost the fake no thread each. */
class FakeArgoCdConcurrencyTest {

    private static final int WATCHES = 200;

    @RegisterExtension
    final FakeArgoCdExtension argo = new FakeArgoCdExtension();

    @Test
    void twoHundredWatchesAllSeeTheSyncFinishOnAHandfulOfThreads() throws Exception {
        FakeArgoCd fake = argo.fake().setRevision("main", "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c");
        FakeApplication app = fake.createApp("guestbook");
        String token = fake.issueToken(FakeArgoCd.USERNAME);
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
        try {
            List<Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < WATCHES; i++) {
                Watcher watcher = new Watcher();
                watchers.add(watcher);
                http.sendAsync(HttpRequest.newBuilder(URI.create(fake.url() + "/api/v1/stream/applications?name=guestbook"))
                        .header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.fromLineSubscriber(watcher));
            }
            CompletableFuture.allOf(watchers.stream().map(w -> w.added).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);

            new RawApi(fake).json("POST", "/api/v1/applications/guestbook/sync", token, "{}");

            CompletableFuture.allOf(watchers.stream().map(w -> w.done).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
            long fakeThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("fake-argocd-")).count();
            assertThat(fakeThreads).as("http pool (4) + controller + stream writer").isLessThanOrEqualTo(6);
            assertThat(app.operationsStarted()).isEqualTo(1);
        } finally {
            clientThreads.shutdownNow();
        }
    }

    /** Reads one stream until it shows the operation Succeeded and the app Healthy. */
    private static final class Watcher implements Flow.Subscriber<String> {
        final CompletableFuture<Void> added = new CompletableFuture<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            try {
                JsonNode result = RawApi.JSON.readTree(line).path("result");
                added.complete(null);
                JsonNode status = result.path("application").path("status");
                if ("Succeeded".equals(status.path("operationState").path("phase").asText())
                        && "Healthy".equals(status.path("health").path("status").asText())) {
                    done.complete(null);
                }
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            added.completeExceptionally(throwable);
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            done.completeExceptionally(new IllegalStateException("stream ended before the sync finished"));
        }
    }
}
