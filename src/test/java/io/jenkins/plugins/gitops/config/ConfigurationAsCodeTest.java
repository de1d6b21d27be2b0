package io.jenkins.plugins.gitops.config;

import static org.assertj.core.api.Assertions.assertThat;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.misc.junit.jupiter.AbstractRoundTripTest;
import io.jenkins.plugins.casc.model.CNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;


/**
 * Configuration as Code: the inherited round trip imports {@code configuration-as-code.yaml}, applies it through the
 * web UI, restarts Jenkins with it as {@code jenkins.yaml}, and checks the result each time; the export test checks
 * what {@code /configuration-as-code/export} would write.
 */
@WithJenkins
class ConfigurationAsCodeTest extends AbstractRoundTripTest {

    @Override
    protected void assertConfiguredAsExpected(JenkinsRule j, String configContent) {
        List<ArgoCdServer> servers = GitopsGlobalConfiguration.get().getArgoCdServers();
        assertThat(servers).extracting(ArgoCdServer::getName).containsExactly("prod", "staging");
        ArgoCdServer prod = servers.get(0);
        assertThat(prod.getUrl()).isEqualTo("https://argocd.casc-roundtrip.example.org");
        assertThat(prod.getCredentialsId()).isEqualTo("argocd-token");
        assertThat(prod.getTimeoutSeconds()).isEqualTo(900);
        assertThat(prod.isSkipTlsVerify()).isFalse();
        ArgoCdServer staging = servers.get(1);
        assertThat(staging.isSkipTlsVerify()).isTrue();
        assertThat(staging.getTimeoutSeconds()).isEqualTo(ArgoCdServer.DEFAULT_TIMEOUT_SECONDS);
    }

    @Override
    protected String stringInLogExpected() {
        return "argocd.casc-roundtrip.example.org";
    }

    @Test
    void exportsTheServers(JenkinsRule j) throws Exception {
        ArgoCdServer prod = new ArgoCdServer("prod", "https://argocd.example.org");
        prod.setCredentialsId("argocd-token");
        prod.setTimeoutSeconds(900);
        GitopsGlobalConfiguration.get().setArgoCdServers(List.of(prod));

        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = Util.getUnclassifiedRoot(context).get("gitopsDeploy");
        String exported = Util.toYamlString(node);

        // Strings may be exported quoted or not; the values and their keys must be there.
        assertThat(exported)
                .contains("argoCdServers:")
                .containsPattern("name: \"?prod\"?")
                .containsPattern("url: \"?https://argocd.example.org\"?")
                .containsPattern("credentialsId: \"?argocd-token\"?")
                .containsPattern("timeoutSeconds: \"?900\"?");
    }
}
