package io.jenkins.plugins.gitops.core.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A fake Kubernetes API holding the example {@code guestbook} Application, and the backend under test on it. */
final class GuestbookCluster implements AutoCloseable {

    final ApplicationCrServer server = ApplicationCrServer.start();
    final KubernetesClient client = server.newClient();
    final ExecutorService calls = Executors.newFixedThreadPool(2);
    final KubernetesApplicationBackend backend = new KubernetesApplicationBackend(client, null, null, calls);

    GuestbookCluster() {
        server.create(ApplicationCrServer.exampleApplication("guestbook"));
    }

    @Override
    public void close() {
        calls.shutdownNow();
        client.close();
        server.close();
    }
}
