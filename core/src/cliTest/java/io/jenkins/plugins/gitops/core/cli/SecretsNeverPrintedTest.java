package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No secret reaches stdout, stderr or the {@code --json} result of any command, whatever spelling carries it (a
 * password in a malformed URL, a token as a URL's user name) and whoever repeats it (a git server and an Argo CD server
 * that echo what they were sent); nor {@code .git/config}, the edit journal or a pushed commit. Each case runs once
 * plainly and once with {@code --json}; the secret is new for every case, so no earlier case's registration helps.
 */
class SecretsNeverPrintedTest {

    private static final String USER = "deployer";
    private static final String SERVER_PASSWORD = "Server-Side-Pw-4410";
    private static final String IMAGE = "ghcr.io/example-org/guestbook";
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: guestbook
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/example-org/guestbook:1.4.2
            """;

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer git;
    private FakeArgoCd argo;
    private Path checkout;
    /** The case armed a server that quotes the credentials it was sent. */
    private boolean echoing;

    /** What a case runs: the arguments and the environment variables. */
    record Invocation(List<String> args, Map<String, String> environment) {
        Invocation(String... args) {
            this(List.of(args), Map.of());
        }
    }

    /** A spelling, and how to run it with a given secret against the fixture. */
    record Case(String name, CaseSetup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface CaseSetup {
        Invocation prepare(SecretsNeverPrintedTest fixture, String secret) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = BareRepository.create(served, "config.git", "main", Map.of("apps/guestbook/deployment.yaml", DEPLOYMENT));
        git = GitHttpServer.start(served, USER, SERVER_PASSWORD);
        argo = FakeArgoCd.start();
        argo.createApp("guestbook");
        checkout = temp.resolve("checkout");
        GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
        GitCli.run(checkout, "remote", "set-url", "origin", git.url(bare.name()));
    }

    @AfterEach
    void stop() {
        git.close();
        argo.close();
    }

    // ---- the fixture's pieces, for the cases -------------------------------------------------------------------

    /** The git server's repository URL with {@code userInfo} spliced in after the scheme. */
    String repoWith(String userInfo) {
        return git.url(bare.name()).replace("http://", "http://" + userInfo + "@");
    }

    String repo() {
        return git.url(bare.name());
    }

    String argo() {
        return argo.url();
    }

    Path file(String name, String content) throws IOException {
        return Files.writeString(temp.resolve(name + "-" + UUID.randomUUID()), content + "\n");
    }

    String checkout() {
        return checkout.toString();
    }

    /** Edits the checkout as {@code gitops set-image} does, journal included, so that {@code push} has work. */
    void editCheckout() {
        assertThat(Main.run(new Environment(Map.of()), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), "set-image", checkout.toString(), "--image", IMAGE, "--tag", "9.9.9"))
                .isZero();
    }

    void gitEchoesCredentials() {
        git.echoAuthorizationInErrors();
        echoing = true;
    }

    void argoEchoesTheToken() {
        argo.faults().echoPresentedToken(20);
        echoing = true;
    }

    void argoEchoesTheLogin() {
        argo.faults().echoRequestBody("POST", "/api/v1/session", 20);
        echoing = true;
    }

    /** Whether a server quoted back what it was sent; the case then proves nothing unless it did. */
    private boolean echoed() {
        return git.echoedAuthorizations() > 0 || !argo.faults().fired().isEmpty();
    }

    static List<String> update(String repo, String... more) {
        List<String> args = new ArrayList<>(List.of("update", "--repo", repo, "--image", IMAGE, "--tag", "1.5.0"));
        args.addAll(List.of(more));
        return args;
    }

    static List<String> sync(String server, String... more) {
        List<String> args = new ArrayList<>(List.of("sync", "--server", server, "--app", "guestbook", "--timeout", "20s"));
        args.addAll(List.of(more));
        return args;
    }

    static Invocation of(List<String> args) {
        return new Invocation(args, Map.of());
    }

    // ---- the cases -----------------------------------------------------------------------------------------------

    static Stream<Case> cases() {
        return Stream.of(
                // update --repo: a password or token in the URL, however the URL is spelt
                new Case("update: leading space", (f, s) -> of(update(" " + f.repoWith("bot:" + s)))),
                new Case("update: leading tab", (f, s) -> of(update("\t" + f.repoWith("bot:" + s)))),
                new Case("update: trailing space", (f, s) -> of(update(f.repoWith("bot:" + s) + " "))),
                new Case("update: upper-case scheme", (f, s) -> of(update(f.repoWith("bot:" + s).replace("http:", "HTTP:")))),
                new Case("update: odd scheme", (f, s) -> of(update(f.repoWith("bot:" + s).replace("http:", "git+http:")))),
                new Case("update: non-numeric port", (f, s) -> of(update("http://bot:" + s + "@127.0.0.1:port/config.git"))),
                new Case("update: broken IPv6 host", (f, s) -> of(update("http://bot:" + s + "@[::1/config.git"))),
                new Case("update: empty host", (f, s) -> of(update("http://bot:" + s + "@/config.git"))),
                new Case("update: token as user name", (f, s) -> of(update(f.repoWith(s)))),
                new Case("update: scp-like user:password@host:path", (f, s) -> of(update("bot:" + s + "@127.0.0.1:config.git"))),
                new Case("update: percent-encoded characters", (f, s) -> of(update(f.repoWith("bot:" + s + "%40x%3A")))),
                new Case("update: unencoded @ in the password", (f, s) -> of(update(f.repoWith("bot:" + s + "@" + s)))),
                new Case("update: password in an ssh URL", (f, s) -> of(update("ssh://git:" + s + "@127.0.0.1:1/config.git"))),
                new Case("update: backslashes", (f, s) -> of(update("http:\\\\bot:" + s + "@127.0.0.1\\config.git"))),
                new Case("update: --build-url with user info", (f, s) -> of(update(f.repo(), "--username", USER,
                        "--password-file", f.file("pw", SERVER_PASSWORD).toString(), "--build-url",
                        "https://ci:" + s + "@ci.example.test/job/7/"))),
                // update/push against a git server that echoes the credentials it was sent
                new Case("update: --password-file, server echoes", (f, s) -> {
                    f.gitEchoesCredentials();
                    return of(update(f.repo(), "--username", USER, "--password-file", f.file("pw", s).toString()));
                }),
                new Case("push: --password-file, server echoes", (f, s) -> {
                    f.editCheckout();
                    f.gitEchoesCredentials();
                    return new Invocation("push", f.checkout(), "--username", USER, "--password-file", f.file("pw", s).toString());
                }),
                new Case("push: $GITOPS_GIT_PASSWORD, server echoes", (f, s) -> {
                    f.editCheckout();
                    f.gitEchoesCredentials();
                    return new Invocation(List.of("push", f.checkout(), "--username", USER), Map.of(GitOptions.ENV_PASSWORD, s));
                }),
                new Case("push: --ssh-passphrase-file, key unreadable", (f, s) -> {
                    f.editCheckout();
                    return new Invocation("push", f.checkout(), "--repo", "ssh://git@127.0.0.1:1/config.git",
                            "--ssh-key-file", f.file("key", "not a key " + s).toString(),
                            "--ssh-passphrase-file", f.file("passphrase", s).toString());
                }),
                // push --repo and a password in the checkout's origin
                new Case("push: --repo with a leading space", (f, s) -> {
                    f.editCheckout();
                    return new Invocation("push", f.checkout(), "--repo", " " + f.repoWith("bot:" + s));
                }),
                new Case("push: --repo, token as user name", (f, s) -> {
                    f.editCheckout();
                    return new Invocation("push", f.checkout(), "--repo", f.repoWith(s).replace("http:", "Http:"));
                }),
                new Case("push: origin URL with a password", (f, s) -> {
                    f.editCheckout();
                    GitCli.run(Path.of(f.checkout()), "remote", "set-url", "origin", f.repoWith("bot:" + s));
                    return new Invocation("push", f.checkout());
                }),
                // sync --server
                new Case("sync: --server with user:password", (f, s) -> of(sync("https://admin:" + s + "@argo_cd.internal",
                        "--token", "tok-" + s))),
                new Case("sync: --server with a leading space", (f, s) -> of(sync(" https://admin:" + s + "@argo.internal",
                        "--token", "t0ken-value"))),
                new Case("sync: --server, token as user name", (f, s) -> of(sync("HTTPS://" + s + "@argo.internal",
                        "--token", "t0ken-value"))),
                new Case("sync: --server with a broken IPv6 host", (f, s) -> of(sync("https://admin:" + s + "@[::1",
                        "--token", "t0ken-value"))),
                // sync against an Argo CD that echoes the token or the login it was sent
                new Case("sync: --token, server echoes", (f, s) -> {
                    f.argoEchoesTheToken();
                    return of(sync(f.argo(), "--token", s));
                }),
                new Case("sync: --token-file, server echoes", (f, s) -> {
                    f.argoEchoesTheToken();
                    return of(sync(f.argo(), "--token-file", f.file("token", s).toString()));
                }),
                new Case("sync: $GITOPS_ARGOCD_TOKEN, server echoes", (f, s) -> {
                    f.argoEchoesTheToken();
                    return new Invocation(sync(f.argo()), Map.of(SyncCommand.TOKEN_VARIABLE, s));
                }),
                new Case("sync: $ARGOCD_AUTH_TOKEN, server echoes", (f, s) -> {
                    f.argoEchoesTheToken();
                    return new Invocation(sync(f.argo()), Map.of(SyncCommand.ARGOCD_TOKEN_VARIABLE, s));
                }),
                new Case("sync: $ARGOCD_SERVER with user:password", (f, s) -> new Invocation(
                        List.of("sync", "--app", "guestbook", "--token", "t0ken-value"),
                        Map.of(SyncCommand.ARGOCD_SERVER_VARIABLE, "\tHTTPS://admin:" + s + "@argo.internal:port"))),
                new Case("sync: --password-file, server echoes the login", (f, s) -> {
                    f.argoEchoesTheLogin();
                    return of(sync(f.argo(), "--username", FakeArgoCd.USERNAME, "--password-file", f.file("pw", s).toString()));
                }),
                new Case("sync: --password, server echoes the login", (f, s) -> {
                    f.argoEchoesTheLogin();
                    return of(sync(f.argo(), "--username", FakeArgoCd.USERNAME, "--password", s));
                }),
                // set-image quotes its bad input back
                new Case("set-image: --image with user info", (f, s) -> new Invocation("set-image", f.checkout(),
                        "--image", "https://bot:" + s + "@registry.example/app", "--tag", "1.0")),
                new Case("set-image: --path with user info", (f, s) -> new Invocation("set-image", f.checkout(),
                        "--image", IMAGE, "--tag", "1.0", "--path", "https://" + s + "@host/apps")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void neitherOutputNorTheCheckoutCarriesTheSecret(Case spelling) throws Exception {
        String secret = "Sx" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Invocation invocation = spelling.setup().prepare(this, secret);
        Path config = checkout.resolve(".git/config");
        boolean configHadIt = Files.readString(config).contains(secret); // a case that put it in origin's URL itself
        for (boolean json : List.of(false, true)) {
            List<String> args = new ArrayList<>(invocation.args());
            if (json) {
                args.add("--json");
            }
            Output output = run(args, invocation.environment());

            assertThat(output.out()).as("stdout of %s", output).doesNotContain(secret);
            assertThat(output.err()).as("stderr of %s", output).doesNotContain(secret).isNotBlank();
            if (json) {
                assertThat(output.out()).as("--json").startsWith("{");
            }
        }
        if (echoing) {
            assertThat(echoed()).as("the server quoted the secret back").isTrue();
            argo.faults().clear(); // armed for more requests than a run makes
        }
        if (!configHadIt) {
            assertThat(Files.readString(config)).doesNotContain(secret);
        }
        Path journal = checkout.resolve(".git/gitops/pending-edits.json");
        if (Files.exists(journal)) {
            assertThat(Files.readString(journal)).doesNotContain(secret);
        }
        assertThat(String.join("\n", bare.messages("main"))).doesNotContain(secret);
    }

    private record Output(int exit, String out, String err) {}

    private static Output run(List<String> args, Map<String, String> environment) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new Environment(environment), new PrintWriter(out), new PrintWriter(err),
                args.toArray(String[]::new));
        return new Output(exit, out.toString(), err.toString());
    }
}
