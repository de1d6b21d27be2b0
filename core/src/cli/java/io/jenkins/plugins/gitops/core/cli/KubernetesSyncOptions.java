package io.jenkins.plugins.gitops.core.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitops.core.argocd.ApplicationBackend;
import io.jenkins.plugins.gitops.core.kube.ClusterAccess;
import io.jenkins.plugins.gitops.core.kube.KubernetesApplicationBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import picocli.CommandLine.Option;

/**
 * The options of {@code gitops sync} that drive the Application custom resource through the Kubernetes API instead
 * of the Argo CD API server (no Argo CD token needed; see docs/kubernetes-sync.md).
 */
public final class KubernetesSyncOptions implements AutoCloseable {

    @Option(names = "--kube", order = 100,
            description = "Sync through the Kubernetes API (the Application resource) instead of the Argo CD API server;"
                    + " credentials: the pod's service account, $KUBECONFIG or ~/.kube/config.")
    boolean kube;

    @Option(names = "--kubeconfig", paramLabel = "FILE", order = 101,
            description = "With the Kubernetes API: this kubeconfig (its current context); implies --kube.")
    Path kubeconfig;

    @Option(names = "--argocd-namespace", paramLabel = "NS", order = 102,
            description = "With the Kubernetes API: the namespace of Argo CD's Applications (default: "
                    + KubernetesApplicationBackend.DEFAULT_NAMESPACE + ").")
    String argocdNamespace;

    @Option(names = "--initiated-by", paramLabel = "USER", order = 103, defaultValue = "gitops",
            description = "With the Kubernetes API: the name recorded as the operation's initiator (default: ${DEFAULT-VALUE}).")
    String initiatedBy;

    private ClusterAccess access;
    private KubernetesClient client;

    /** Whether the Kubernetes path was chosen. */
    boolean enabled() {
        return kube || kubeconfig != null;
    }

    /**
     * Reads the kubeconfig, if any; a bad file is reported without its content.
     *
     * @throws IllegalArgumentException for an unreadable or empty file, or Kubernetes options without {@code --kube}
     */
    void validate() {
        if (!enabled()) {
            if (argocdNamespace != null) {
                throw new IllegalArgumentException("--argocd-namespace: needs --kube or --kubeconfig");
            }
            return;
        }
        if (kubeconfig == null) {
            access = ClusterAccess.fromEnvironment();
            return;
        }
        try {
            access = ClusterAccess.kubeconfig(Files.readString(kubeconfig, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("--kubeconfig: '" + kubeconfig + "' cannot be read: " + Failure.reason(e));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kubeconfig: '" + kubeconfig + "': " + e.getMessage());
        }
    }

    /** Connects; call after {@link #validate()}. The client is closed by {@link #close()}. */
    ApplicationBackend backend(Executor calls) {
        try {
            client = access.connect();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kubeconfig: '" + kubeconfig + "': " + e.getMessage());
        }
        return new KubernetesApplicationBackend(client, argocdNamespace, initiatedBy, calls);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
