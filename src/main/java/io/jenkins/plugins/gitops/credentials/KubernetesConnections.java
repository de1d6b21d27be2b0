package io.jenkins.plugins.gitops.credentials;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ProxyConfiguration;
import hudson.util.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.jenkins.plugins.gitops.core.kube.ClusterAccess;
import java.net.Proxy;
import java.net.URI;
import jenkins.model.Jenkins;

/**
 * Builds the fabric8 client for core's {@link ClusterAccess} inside Jenkins: on the OkHttp transport that
 * kubernetes-client-api ships, named here rather than looked up through the calling thread's context class loader
 * (which in Jenkins may be any plugin's), and through the proxy of <em>Manage Jenkins &gt; System &gt; HTTP Proxy
 * Configuration</em> unless the API server's host is one of its "no proxy" hosts.
 */
public final class KubernetesConnections {

    private KubernetesConnections() {}

    /** Opens a client; the caller closes it. */
    @NonNull
    public static KubernetesClient connect(@NonNull ClusterAccess access) {
        Config config = access.config();
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        applyProxy(config, jenkins == null ? null : jenkins.getProxy());
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new OkHttpClientFactory())
                .build();
    }

    /** Sends the client through {@code proxy} when the API server is not excluded from it. */
    static void applyProxy(Config config, @CheckForNull ProxyConfiguration proxy) {
        if (proxy == null || proxy.getName() == null || proxy.getName().isBlank()) {
            return;
        }
        String host = URI.create(config.getMasterUrl()).getHost();
        if (proxy.createProxy(host) == Proxy.NO_PROXY) {
            return;
        }
        String address = "http://" + proxy.getName() + ":" + proxy.getPort();
        config.setHttpProxy(address);
        config.setHttpsProxy(address);
        if (proxy.getUserName() != null) {
            config.setProxyUsername(proxy.getUserName());
            config.setProxyPassword(Secret.toString(proxy.getSecretPassword()));
        }
    }
}
