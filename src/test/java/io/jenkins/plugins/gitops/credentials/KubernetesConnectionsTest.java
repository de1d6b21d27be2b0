package io.jenkins.plugins.gitops.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.ProxyConfiguration;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.jenkins.plugins.gitops.core.kube.ClusterAccess;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class KubernetesConnectionsTest {

    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            current-context: c
            contexts: [{name: c, context: {cluster: c, user: u}}]
            clusters: [{name: c, cluster: {server: 'https://kube.example.org:6443'}}]
            users: [{name: u, user: {token: t0ken}}]
            """;

    /** A transport another plugin might offer through the thread's context class loader; never to be chosen. */
    public static final class OtherPluginsTransport implements HttpClient.Factory {
        @Override
        public HttpClient.Builder newBuilder() {
            throw new IllegalStateException("the transport of the thread's context class loader was chosen");
        }

        @Override
        public int priority() {
            return Integer.MAX_VALUE;
        }
    }

    @Test
    void theClientRunsOnOkHttpWhateverTheThreadsContextClassLoaderOffers(JenkinsRule j, @TempDir Path dir)
            throws IOException {
        Path services = dir.resolve("META-INF/services/" + HttpClient.Factory.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, OtherPluginsTransport.class.getName() + "\n", StandardCharsets.UTF_8);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader otherPlugin = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
            thread.setContextClassLoader(otherPlugin);
            try (KubernetesClient client = KubernetesConnections.connect(ClusterAccess.selfContainedKubeconfig(KUBECONFIG))) {
                assertThat(client.getMasterUrl().toString()).startsWith("https://kube.example.org:6443");
            }
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void theJenkinsProxyIsUsedUnlessTheApiServerIsExcluded(JenkinsRule j) {
        ProxyConfiguration proxy = new ProxyConfiguration("proxy.example.org", 3128, "jenkins", "pr0xy", "*.internal");

        Config outside = ClusterAccess.selfContainedKubeconfig(KUBECONFIG).config();
        KubernetesConnections.applyProxy(outside, proxy);
        assertThat(outside.getHttpsProxy()).isEqualTo("http://proxy.example.org:3128");
        assertThat(outside.getHttpProxy()).isEqualTo("http://proxy.example.org:3128");
        assertThat(outside.getProxyUsername()).isEqualTo("jenkins");
        assertThat(outside.getProxyPassword()).isEqualTo("pr0xy");

        Config inside = ClusterAccess.selfContainedKubeconfig(
                KUBECONFIG.replace("kube.example.org", "kube.cluster.internal")).config();
        KubernetesConnections.applyProxy(inside, proxy);
        assertThat(inside.getHttpsProxy()).isNull();
        assertThat(inside.getProxyUsername()).isNull();
    }
}
