package io.jenkins.plugins.gitops.core.cli;

import static io.jenkins.plugins.gitops.core.cli.Gitops.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.cli.Gitops.Result;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitea;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A timeout that ends a run is reported in the unit the caller gave it, for every option that takes a duration (never
 * a library's own figure, such as "Read timed out after 50,000 ms" for {@code --timeout 5}). Each case really runs into
 * its timeout, so the values are short; {@code DurationTextTest} pins the format for longer ones ({@code 2m},
 * {@code 1h}). {@code --merge-poll-interval} ends nothing and is reported nowhere.
 */
class TimeoutUnitsTest {

    private static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            images:
              - name: ghcr.io/example-org/guestbook
                newTag: 1.4.2
            """;
    private static final String OLD = "9d2c41a7e3f05b8c61d4f7a2e90b3c5d18e6f4a1";
    private static final String NEW = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";

    @TempDir
    Path temp;

    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private <T extends AutoCloseable> T open(T server) {
        servers.add(server);
        return server;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            sync --timeout        | 1      | 8 | timed out after 1 s waiting for guestbook
            sync --timeout        | 1s     | 8 | timed out after 1 s waiting for guestbook
            sync --timeout        | 800ms  | 8 | timed out after 800 ms waiting for guestbook
            sync --timeout        | PT1S   | 8 | timed out after 1 s waiting for guestbook
            sync --wait-for-app   | 1      | 8 | did not appear within 1 s on
            sync --wait-for-app   | 1s     | 8 | did not appear within 1 s on
            sync --wait-for-app   | 800ms  | 8 | did not appear within 800 ms on
            update --timeout      | 1      | 1 | the server sent nothing for 1 s (the network timeout)
            update --timeout      | 1s     | 1 | the server sent nothing for 1 s (the network timeout)
            update --timeout      | 2      | 1 | the server sent nothing for 2 s (the network timeout)
            update --timeout      | 1500ms | 2 | --timeout: '1500ms' is not a whole number of seconds, the unit of git's network timeout
            push --timeout        | 1s     | 1 | the server sent nothing for 1 s (the network timeout)
            update --wait-for-merge | 1    | 8 | was still not merged after 1 s
            update --wait-for-merge | 1s   | 8 | was still not merged after 1 s
            update --wait-for-merge | 800ms | 8 | was still not merged after 800 ms
            """)
    void aTimeoutIsReportedInTheUnitTheCallerGave(String option, String value, int exit, String expected) throws Exception {
        Result result = switch (option) {
            case "sync --timeout" -> sync("--revision", NEW, "--timeout", value);
            case "sync --wait-for-app" -> sync("--project", "default", "--wait-for-app", value);
            case "update --timeout" -> run("update", "--repo", silentServer(), "--image", "nginx", "--tag", "1.26",
                    "--timeout", value);
            case "push --timeout" -> run("push", checkout().toString(), "--repo", silentServer(), "--timeout", value);
            case "update --wait-for-merge" -> waitForMerge(value);
            default -> throw new IllegalArgumentException(option);
        };

        assertThat(result.exit()).as(result.toString()).isEqualTo(exit);
        // sync reports its outcome, a timeout included, on stdout; the other commands end with the failure on stderr
        assertThat(option.startsWith("sync --timeout") ? result.out() : result.lastErrLine()).as(result.toString())
                .contains(expected);
        if (option.endsWith("--wait-for-merge")) {
            assertThat(result.err()).contains("Waiting up to " + expected.substring(expected.lastIndexOf("after ") + 6) + " for ");
        }
    }

    /** An application that never finishes syncing ({@code --revision}), or one that never appears ({@code --project}). */
    private Result sync(String... options) throws IOException {
        FakeArgoCd argo = open(FakeArgoCd.start().setRevision("main", OLD));
        boolean waitForApp = options[0].equals("--project");
        if (!waitForApp) {
            argo.createApp("guestbook").holdOperations();
        }
        argo.setRevision("main", NEW);
        Path token = Files.writeString(temp.resolve("token"), argo.issueToken(FakeArgoCd.USERNAME) + "\n");
        List<String> args = new ArrayList<>(List.of("sync", waitForApp ? "never-generated" : "guestbook", "--server",
                argo.url(), "--token-file", token.toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    /** A server that accepts connections and never answers. */
    private String silentServer() throws IOException {
        ServerSocket socket = open(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(socket.accept()); // held open, never written to
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return "http://127.0.0.1:" + socket.getLocalPort() + "/config.git";
    }

    /** A checkout with an edit to push, made from a repository on disk. */
    private Path checkout() throws IOException {
        BareRepository bare = BareRepository.create(Files.createDirectories(temp.resolve("served")), "config.git", "main",
                Map.of("kustomization.yaml", KUSTOMIZATION));
        Path checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
        Result edit = run("set-image", checkout.toString(), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0");
        assertThat(edit.exit()).as(edit.toString()).isZero();
        return checkout;
    }

    /** A pull request nobody merges. */
    private Result waitForMerge(String value) throws IOException {
        BareRepository bare = BareRepository.create(Files.createDirectories(temp.resolve("served")), "config.git", "main",
                Map.of("kustomization.yaml", KUSTOMIZATION));
        GitHttpServer server = open(GitHttpServer.start(bare.path().getParent(), "deployer", "s3cret-pw"));
        FakeGitea gitea = open(FakeGitea.start("example-org/config"));
        return run(Map.of("GITOPS_GIT_USERNAME", "deployer", "GITOPS_GIT_PASSWORD", "s3cret-pw",
                        "GITOPS_PR_TOKEN", FakeForge.TOKEN),
                "update", "--repo", server.url(bare.name()), "--image", "ghcr.io/example-org/guestbook", "--tag", "1.5.0",
                "--pull-request", "--pr-provider", "gitea", "--pr-api-url", gitea.apiUrl(), "--pr-repository",
                "example-org/config", "--wait-for-merge", value, "--merge-poll-interval", "200ms");
    }
}
