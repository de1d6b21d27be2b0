package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeApplication;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyncCommandTest {

    private static final String OLD = "9d2c41a7e3f05b8c61d4f7a2e90b3c5d18e6f4a1";
    private static final String NEW = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";

    @TempDir
    Path dir;

    private FakeArgoCd argo;
    private FakeApplication app;
    private Path tokenFile;
    private String token;

    @BeforeEach
    void startArgo() throws IOException {
        argo = FakeArgoCd.start().setRevision("main", OLD);
        app = argo.createApp("guestbook");
        argo.setRevision("main", NEW);
        token = argo.issueToken(FakeArgoCd.USERNAME);
        tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
    }

    @AfterEach
    void stopArgo() {
        argo.close();
    }

    private Result sync(String... extra) {
        List<String> args = new ArrayList<>(List.of("sync", "--server", argo.url(), "--app", "guestbook",
                "--token-file", tokenFile.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void syncsToTheRevisionAndExitsZeroWithProgressOnStderr() {
        Result result = sync("--revision", NEW);

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(result.out()).isEqualTo("guestbook: Synced to " + NEW + " and Healthy\n");
        assertThat(result.err()).startsWith("gitops sync: reading guestbook from " + argo.url() + " (refresh)\n")
                .contains("\ngitops sync: starting sync, expecting revision " + NEW + "\n");
    }

    @Test
    void anAbbreviatedRevisionWaitsForTheCommitItAbbreviates() {
        Result result = sync("--revision", NEW.substring(0, 7), "--timeout", "60s");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(result.out()).isEqualTo("guestbook: Synced to " + NEW + " and Healthy\n");
    }

    @Test
    void printsTheOutcomeAsJson() throws Exception {
        Result result = sync("--revision", NEW, "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("outcome").asText()).isEqualTo("SYNCED");
        assertThat(json.path("exitCode").asInt()).isZero();
        assertThat(json.path("revision").asText()).isEqualTo(NEW);
        assertThat(json.path("syncStatus").asText()).isEqualTo("Synced");
        assertThat(json.path("health").asText()).isEqualTo("Healthy");
        assertThat(json.path("operationPhase").asText()).isEqualTo("Succeeded");
    }

    @Test
    void failedSyncExitsSyncFailedNamingTheResource() {
        app.nextSyncFails("one or more objects failed to apply");

        Result result = sync("--revision", NEW);

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.SYNC_FAILED.code());
        assertThat(result.out()).startsWith("guestbook: sync operation Failed: one or more objects failed to apply\n")
                .contains("  Deployment/guestbook/guestbook-ui: SyncFailed");
    }

    @Test
    void timeoutExitsTimeoutAndTerminatesWhenAsked() {
        app.holdOperations();

        Result result = sync("--revision", NEW, "--timeout", "1s", "--terminate-on-timeout");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.TIMEOUT.code());
        assertThat(result.out()).contains("timed out after 1 s").contains("the operation was terminated");
    }

    @Test
    void rejectedTokenExitsAuthFailedWithoutPrintingIt() throws IOException {
        Files.writeString(tokenFile, "forged-token-value");

        Result result = sync("--json");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.AUTH_FAILED.code());
        assertThat(result.err()).contains("\ngitops sync: reading application guestbook failed: invalid session")
                .doesNotContain("forged-token-value");
        assertThat(result.out()).contains("\"problem\":\"auth-failed\"").doesNotContain("forged-token-value");
    }

    @Test
    void logsInWithUsernameAndPasswordFile() throws IOException {
        Path password = Files.writeString(dir.resolve("password"), FakeArgoCd.PASSWORD);

        Result result = run("sync", "--server", argo.url(), "--app", "guestbook", "--username", FakeArgoCd.USERNAME,
                "--password-file", password.toString(), "--revision", NEW);

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
    }

    @Test
    void missingAppInProjectExitsBadInput() {
        Result result = run("sync", "--server", argo.url(), "--app", "nope", "--project", "default", "--token-file",
                tokenFile.toString());

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).contains("not found");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --revision main          | --revision: 'main' is not a commit SHA (7 to 64 hex digits)
            --timeout soon           | invalid value for option '--timeout': 'soon' is not a duration (e.g. 300s, 5m, 1h; a plain number is seconds)
            --health Fine            | --health: 'Fine' is not one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown
            --insecure --ca-file x   | --insecure: give either --insecure or --ca-file, not both
            --strategy fast          | --strategy: 'fast' is neither apply nor hook
            --force                  | --force: needs --strategy apply or --strategy hook
            --plaintext              | --plaintext: --server already says its scheme; give host[:port] with --plaintext, or an http:// URL
            --app other              | APP: 'guestbook' and --app 'other' name two applications; give one
            --revizion abc1234       | unknown option '--revizion' (did you mean '--revision'?)
            """)
    void badOptionsExitBadInputWithOneLineNamingTheOption(String options, String message) {
        List<String> args = new ArrayList<>(List.of("sync", "guestbook", "--server", argo.url(), "--token-file", tokenFile.toString()));
        args.addAll(List.of(options.split(" ")));

        Result result = run(args.toArray(String[]::new));

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.errLine()).isEqualTo("gitops sync: " + message);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void withoutAnyCredentialsSaysWhereTheyCanComeFrom() {
        Result result = run("sync", "guestbook", "--server", argo.url());

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(result.err()).isEqualTo("gitops sync: --token: no Argo CD credentials; give --token-file, --token,"
                + " $GITOPS_ARGOCD_TOKEN, $ARGOCD_AUTH_TOKEN, or --username with --password-file\n");
    }

    @Test
    void noWaitExitsOnceTheSyncStarted() {
        app.holdOperations();

        Result result = sync("--no-wait");

        assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(result.out()).isEqualTo("guestbook: sync started at revision " + NEW + "\n");
    }

    @Test
    void trustsAnHttpsServerThroughItsCaFileAndRefusesItWithout() throws IOException {
        try (FakeArgoCd https = FakeArgoCd.builder().https().start()) {
            https.setRevision("main", NEW);
            https.createApp("guestbook");
            Path token = Files.writeString(dir.resolve("https-token"), https.issueToken(FakeArgoCd.USERNAME));
            Path ca = Files.writeString(dir.resolve("ca.pem"), https.certificatePem());
            String[] base = {"sync", "--server", https.url(), "--app", "guestbook", "--token-file", token.toString(),
                "--revision", NEW};

            Result untrusted = run(base);
            Result trusted = run(concat(base, "--ca-file", ca.toString()));
            Result insecure = run(concat(base, "--insecure"));

            assertThat(untrusted.exit()).as(untrusted.toString()).isEqualTo(ExitCode.FAILURE.code());
            assertThat(untrusted.err()).contains("TLS handshake").contains("CA certificate");
            assertThat(trusted.exit()).as(trusted.toString()).isEqualTo(ExitCode.OK.code());
            assertThat(insecure.exit()).as(insecure.toString()).isEqualTo(ExitCode.OK.code());
        }
    }

    private static String[] concat(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }


}
