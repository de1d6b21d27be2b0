package io.jenkins.plugins.gitops.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.ProxyConfiguration;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class ArgoCdConnectionsTest {

    @Test
    void waitsShareOneHttpClientPerTlsSettingUntilTheProxyChanges(JenkinsRule j) {
        try (FakeArgoCd argo = FakeArgoCd.builder().https().start()) {
            HttpClient plain = ArgoCdConnections.sharedHttpClient(null, false);
            HttpClient privateCa = ArgoCdConnections.sharedHttpClient(argo.certificatePem(), false);

            assertThat(ArgoCdConnections.sharedHttpClient(null, false)).isSameAs(plain);
            assertThat(ArgoCdConnections.sharedHttpClient(" ", false)).isSameAs(plain);
            assertThat(ArgoCdConnections.sharedHttpClient(argo.certificatePem(), false)).isSameAs(privateCa);
            assertThat(privateCa).isNotSameAs(plain);
            assertThat(ArgoCdConnections.sharedHttpClient(null, true)).isNotSameAs(plain);

            j.jenkins.setProxy(new ProxyConfiguration("proxy.example.org", 3128));
            HttpClient proxied = ArgoCdConnections.sharedHttpClient(null, false);
            assertThat(proxied).isNotSameAs(plain);
            assertThat(proxied.proxy()).isPresent();
        }
    }
}
