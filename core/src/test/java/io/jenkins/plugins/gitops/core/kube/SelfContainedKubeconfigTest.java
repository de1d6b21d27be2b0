package io.jenkins.plugins.gitops.core.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A kubeconfig from a job's credential may not run a command or read a file on the machine that reads it. */
class SelfContainedKubeconfigTest {

    private static final String TOKEN = "s3cr3t-token-0123456789";

    @Test
    void aKubeconfigWhoseExecWouldCreateAFileIsRefusedAndTheCommandNeverRuns(@TempDir Path dir) {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to show the command would run");
        Path marker = dir.resolve("exec-ran");
        String kubeconfig = kubeconfig("""
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: /bin/sh
                      args: ["-c", "touch '%s'"]
                      interactiveMode: Never
                """.formatted(marker));

        assertThatThrownBy(() -> ClusterAccess.selfContainedKubeconfig(kubeconfig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user \"jenkins\" sets exec, which runs a command")
                .hasMessageContaining("only self-contained kubeconfigs are accepted");
        assertThat(marker).doesNotExist();

        // The same text read as the user's own kubeconfig does run it: the marker shows a command that ran.
        try (KubernetesClient client = ClusterAccess.kubeconfig(kubeconfig).connect()) {
            assertThat(client).isNotNull();
        }
        assertThat(marker).exists();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            user    | auth-provider         | '{name: oidc, config: {client-id: x}}' | has a plugin fetch and refresh tokens
            user    | client-certificate    | /etc/kubernetes/pki/admin.crt           | reads a file
            user    | client-key            | /var/lib/jenkins/secrets/master.key     | reads a file
            user    | tokenFile             | /var/run/secrets/token                  | reads a file
            cluster | certificate-authority | /etc/ssl/private/ca.pem                 | reads a file
            user    | impersonate-anything  | yes                                     | is not supported here
            cluster | unknown-field         | yes                                     | is not supported here
            """)
    void everyFieldThatReachesOutsideTheKubeconfigIsRefusedByName(
            String section, String field, String value, String effect) {
        String line = "    " + field + ": " + value + "\n";
        String kubeconfig = section.equals("user") ? kubeconfig(line) : kubeconfigWithCluster(line);

        assertThatThrownBy(() -> ClusterAccess.selfContainedKubeconfig(kubeconfig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(section + " \"" + (section.equals("user") ? "jenkins" : "mock") + "\" sets "
                        + field + ", which " + effect)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value).doesNotContain(TOKEN));
    }

    @Test
    void inlineCredentialsAndCertificatesAreAccepted() {
        String inline = kubeconfig(
                "    certificate-authority-data: Y2E=\n    tls-server-name: kube\n",
                "    client-certificate-data: Y2VydA==\n    client-key-data: a2V5\n    as: deployer\n");

        assertThatCode(() -> ClusterAccess.selfContainedKubeconfig(inline)).doesNotThrowAnyException();
        assertThatCode(() -> ClusterAccess.selfContainedKubeconfig(kubeconfig(""))).doesNotThrowAnyException();
    }

    @Test
    void textThatIsNotAKubeconfigIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> ClusterAccess.selfContainedKubeconfig("users: [ {token: " + TOKEN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the kubeconfig is not valid")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(ClusterAccess.selfContainedKubeconfig(kubeconfig("")).toString()).doesNotContain(TOKEN);
    }

    /** A kubeconfig for user "jenkins" with a token and {@code userFields} (indented four spaces) added. */
    private static String kubeconfig(String userFields) {
        return kubeconfig("", "    token: " + TOKEN + "\n" + userFields);
    }

    private static String kubeconfigWithCluster(String clusterFields) {
        return kubeconfig(clusterFields, "    token: " + TOKEN + "\n");
    }

    private static String kubeconfig(String clusterFields, String userFields) {
        return """
                apiVersion: v1
                kind: Config
                current-context: mock
                contexts:
                - name: mock
                  context: {cluster: mock, user: jenkins}
                clusters:
                - name: mock
                  cluster:
                    server: https://127.0.0.1:1
                """ + clusterFields + """
                users:
                - name: jenkins
                  user:
                """ + userFields;
    }
}
