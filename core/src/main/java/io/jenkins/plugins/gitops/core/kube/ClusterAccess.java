package io.jenkins.plugins.gitops.core.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.util.Objects;

/**
 * How to reach the Kubernetes API that holds the Argo CD Applications.
 *
 * <p>A kubeconfig holds secrets (tokens, client keys): its content never appears in a message or in
 * {@link #toString()}, and a parse error says only that the file is not a valid kubeconfig.
 */
public sealed interface ClusterAccess {

    /** Opens a client; the caller closes it. */
    KubernetesClient connect();

    /** Where this access points, for messages; never a credential. */
    String describe();

    /** The content of a kubeconfig file (e.g. a Jenkins secret file credential); its current context is used. */
    static ClusterAccess kubeconfig(String content) {
        return new Kubeconfig(content);
    }

    /**
     * What the environment provides: the pod's service account when running inside a cluster, else
     * {@code $KUBECONFIG} or {@code ~/.kube/config}.
     */
    static ClusterAccess fromEnvironment() {
        return new FromEnvironment();
    }

    /** A client for {@code config}; its token and password are registered for as long as the client lives. */
    private static KubernetesClient withSecretsRegistered(Config config) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        Redaction.register(client, config.getOauthToken(), config.getPassword(), config.getClientKeyPassphrase());
        return client;
    }

    /** A kubeconfig given as text. */
    record Kubeconfig(String content) implements ClusterAccess {
        public Kubeconfig {
            Objects.requireNonNull(content, "content");
            if (content.isBlank()) {
                throw new IllegalArgumentException("the kubeconfig is empty");
            }
        }

        @Override
        public KubernetesClient connect() {
            Config config;
            try {
                config = Config.fromKubeconfig(content);
            } catch (RuntimeException e) {
                // No cause: parser messages quote the input, which may be a token or a key.
                throw new IllegalArgumentException("the kubeconfig is not valid: expected a kubeconfig YAML file with"
                        + " clusters, users, contexts and a current-context");
            }
            if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
                throw new IllegalArgumentException("the kubeconfig has no server URL for its current context");
            }
            return withSecretsRegistered(config);
        }

        @Override
        public String describe() {
            return "kubeconfig";
        }

        @Override
        public String toString() {
            return "Kubeconfig[content hidden]";
        }
    }

    /** The in-cluster service account, {@code $KUBECONFIG} or {@code ~/.kube/config}. */
    record FromEnvironment() implements ClusterAccess {
        @Override
        public KubernetesClient connect() {
            return withSecretsRegistered(Config.autoConfigure(null));
        }

        @Override
        public String describe() {
            return "in-cluster or local kubeconfig";
        }
    }
}
