package io.jenkins.plugins.gitops.core.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Objects;

/**
 * How to reach the Kubernetes API that holds the Argo CD Applications.
 *
 * <p>A kubeconfig holds secrets (tokens, client keys): its content never appears in a message or in
 * {@link #toString()}, and a parse error says only that the file is not a valid kubeconfig.
 */
public sealed interface ClusterAccess
        permits ClusterAccess.Kubeconfig, ClusterAccess.FromEnvironment, SelfContainedKubeconfig {

    /**
     * The client configuration: server, credentials, TLS. An embedding application adjusts it (a proxy, say) and
     * builds the client on the HTTP transport of its choice.
     *
     * @throws IllegalArgumentException when it names no server, or the kubeconfig is not valid (without quoting it)
     */
    Config config();

    /** Opens a client on the transport fabric8 finds on the class path; the caller closes it. */
    default KubernetesClient connect() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** Where this access points, for messages; never a credential. */
    String describe();

    /**
     * The content of a kubeconfig file of the user who runs this program; its current context is used. Everything
     * in it is honoured, including {@code exec} commands and file paths: for a kubeconfig from anyone else, use
     * {@link #selfContainedKubeconfig}.
     */
    static ClusterAccess kubeconfig(String content) {
        return new Kubeconfig(content);
    }

    /**
     * A kubeconfig that carries everything inline (e.g. a Jenkins job's secret file credential); one that would run
     * a command or read a file is refused here, before anything runs.
     *
     * @throws IllegalArgumentException naming the field that is not self-contained
     */
    static ClusterAccess selfContainedKubeconfig(String content) {
        return new SelfContainedKubeconfig(content);
    }

    /**
     * What the environment provides: the pod's service account when running inside a cluster, else
     * {@code $KUBECONFIG} or {@code ~/.kube/config}.
     */
    static ClusterAccess fromEnvironment() {
        return new FromEnvironment();
    }

    /** A kubeconfig given as text. */
    record Kubeconfig(String content) implements ClusterAccess {
        static final String INVALID = "the kubeconfig is not valid: expected a kubeconfig YAML file with"
                + " clusters, users, contexts and a current-context";

        public Kubeconfig {
            Objects.requireNonNull(content, "content");
            if (content.isBlank()) {
                throw new IllegalArgumentException("the kubeconfig is empty");
            }
        }

        @Override
        public Config config() {
            Config config;
            try {
                config = Config.fromKubeconfig(content);
            } catch (RuntimeException e) {
                // No cause: parser messages quote the input, which may be a token or a key.
                throw new IllegalArgumentException(INVALID);
            }
            if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
                throw new IllegalArgumentException("the kubeconfig has no server URL for its current context");
            }
            return config;
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
        public Config config() {
            return Config.autoConfigure(null);
        }

        @Override
        public String describe() {
            return "in-cluster or local kubeconfig";
        }
    }
}
