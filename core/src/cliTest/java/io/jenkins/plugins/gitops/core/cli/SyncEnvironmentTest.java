package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code gitops sync} finds its server and credentials: its options, then its own variables, then the argocd
 * CLI's ({@code ARGOCD_SERVER} as {@code host[:port]}, {@code ARGOCD_AUTH_TOKEN}), so an argocd script runs unchanged.
 */
class SyncEnvironmentTest {

    private static final String SHA = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";
    private static final String SYNCED = "guestbook: Synced to " + SHA + " and Healthy\n";
    /** Nothing listens there: a run that used it would fail. */
    private static final String UNUSED_SERVER = "127.0.0.1:9";

    @TempDir
    Path dir;

    private FakeArgoCd argo;
    private String token;
    private String hostAndPort;

    @BeforeEach
    void startArgo() {
        argo = FakeArgoCd.start().setRevision("main", SHA);
        argo.createApp("guestbook");
        token = argo.issueToken(FakeArgoCd.USERNAME);
        hostAndPort = argo.uri().getAuthority();
    }

    @AfterEach
    void stopArgo() {
        argo.close();
    }

    @Test
    void argocdServerAndAuthTokenVariablesAreEnoughWithTheAppAsArgument() {
        Result result = run(Map.of("ARGOCD_SERVER", hostAndPort, "ARGOCD_AUTH_TOKEN", token),
                "sync", "guestbook", "--plaintext");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(SYNCED);
    }

    @Test
    void argocdServerWithoutPlaintextMeansHttps() throws IOException {
        try (FakeArgoCd https = FakeArgoCd.builder().https().start()) {
            https.setRevision("main", SHA);
            https.createApp("guestbook");
            Path ca = Files.writeString(dir.resolve("ca.pem"), https.certificatePem());

            Result result = run(Map.of("ARGOCD_SERVER", https.uri().getAuthority(),
                    "ARGOCD_AUTH_TOKEN", https.issueToken(FakeArgoCd.USERNAME)), "sync", "guestbook", "--ca-file", ca.toString());

            assertThat(result.exit()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo(SYNCED);
            assertThat(https.requests("POST", "/api/v1/applications/guestbook/sync")).hasSize(1);
        }
    }

    @Test
    void optionsComeBeforeTheArgocdVariables() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), token);

        Result result = run(Map.of("ARGOCD_SERVER", UNUSED_SERVER, "ARGOCD_AUTH_TOKEN", "not-a-token"),
                "sync", "guestbook", "--server", argo.url(), "--token-file", tokenFile.toString());

        assertThat(result.exit()).as(result.toString()).isZero();
    }

    @Test
    void authTokenIsTheArgocdSpellingOfToken() {
        Result result = run("sync", "guestbook", "--server", hostAndPort, "--plaintext", "--auth-token", token);

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(SYNCED);
    }

    @Test
    void theToolsOwnTokenVariableComesBeforeArgocdAuthToken() {
        Result result = run(Map.of("GITOPS_ARGOCD_TOKEN", token, "ARGOCD_AUTH_TOKEN", "not-a-token"),
                "sync", "guestbook", "--server", argo.url());

        assertThat(result.exit()).as(result.toString()).isZero();
    }

    @Test
    void aTokenVariableTheServerRefusesIsAnAuthenticationFailure() {
        Result result = run(Map.of("ARGOCD_AUTH_TOKEN", "not-a-token"), "sync", "guestbook", "--server", argo.url());

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.AUTH_FAILED.code());
        assertThat(result.toString()).doesNotContain("not-a-token");
    }

    @Test
    void passwordVariableLogsInWithUsername() {
        Result result = run(Map.of("GITOPS_ARGOCD_PASSWORD", FakeArgoCd.PASSWORD),
                "sync", "guestbook", "--server", argo.url(), "--username", FakeArgoCd.USERNAME);

        assertThat(result.exit()).as(result.toString()).isZero();
    }

    @Test
    void plaintextWithAServerUrlIsRefused() {
        Result result = run(Map.of("ARGOCD_SERVER", argo.url(), "ARGOCD_AUTH_TOKEN", token), "sync", "guestbook", "--plaintext");

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.errLine()).isEqualTo("gitops sync: --plaintext: $ARGOCD_SERVER already says its scheme; give"
                + " host[:port] with --plaintext, or an http:// URL");
    }

    @Test
    void kubernetesPathRefusesAnArgoCdToken() {
        Result result = run("sync", "guestbook", "--kube", "--token", token);

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).isEqualTo("gitops sync: --token: the Kubernetes API path (--kube, --kubeconfig) takes no"
                + " Argo CD server or credentials; give one or the other\n");
        assertThat(result.err()).doesNotContain(token);
    }

    @Test
    void aSyncWindowRefusalExitsSyncFailed() {
        argo.app("guestbook").blockedBySyncWindow(true);

        Result result = run(Map.of("ARGOCD_AUTH_TOKEN", token), "sync", "guestbook", "--server", argo.url(), "--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.SYNC_FAILED.code());
        assertThat(result.lastErrLine()).startsWith("gitops sync: ").contains("blocked by sync window");
        assertThat(result.out()).startsWith("{\"outcome\":\"ERROR\",\"exitCode\":7,\"app\":\"guestbook\","
                + "\"error\":{\"problem\":\"sync-refused\",\"file\":null,\"line\":null,\"message\":");
    }
}
