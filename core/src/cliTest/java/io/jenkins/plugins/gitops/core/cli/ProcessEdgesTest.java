package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitea;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.registry.LocalRegistry;
import io.jenkins.plugins.gitops.core.testing.registry.OciImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the process does at its edges: output it cannot write, and a SIGTERM from a cancelled CI job. */
class ProcessEdgesTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
            """;

    @TempDir
    Path temp;

    /** A command that prints its result on stdout when it succeeds, with what it needs to succeed. */
    enum Printing {
        HELP("gitops", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) {
                return List.of();
            }
        },
        VERSION("gitops", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) {
                return List.of("--version");
            }
        },
        COMMAND_HELP("gitops help", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) {
                return List.of("help", "update");
            }
        },
        SET_IMAGE("gitops set-image", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws IOException {
                return List.of("set-image", test.directory().toString(), "--image", "nginx", "--tag", "1.26");
            }
        },
        SET_IMAGE_JSON("gitops set-image", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws IOException {
                return List.of("set-image", test.directory().toString(), "--image", "nginx", "--tag", "1.26", "--json");
            }
        },
        SET_IMAGE_DRY_RUN("gitops set-image", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws IOException {
                return List.of("set-image", test.directory().toString(), "--image", "nginx", "--tag", "1.26", "--dry-run");
            }
        },
        /** A failure keeps its own exit code: the rule is only that a run never exits 0. */
        SET_IMAGE_NOT_FOUND_JSON("gitops set-image", ExitCode.IMAGE_NOT_FOUND.code()) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws IOException {
                return List.of("set-image", test.directory().toString(), "--image", "redis", "--tag", "7", "--json");
            }
        },
        RESOLVE("gitops resolve", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws Exception {
                LocalRegistry.assumeInstalled();
                LocalRegistry registry = test.open(LocalRegistry.builder(test.temp.resolve("registry")).start());
                registry.push(OciImage.single(Instant.parse("2024-02-01T00:00:00Z"), "linux/amd64"), "team/app", "1.5.0");
                return List.of("resolve", registry.image("team/app"), "--strategy", "semver", "--insecure-registry",
                        registry.address());
            }
        },
        PUSH("gitops push", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws IOException {
                Path checkout = test.temp.resolve("checkout");
                BareRepository served = test.served();
                GitCli.run(test.temp, "clone", "--quiet", served.path().toString(), checkout.toString());
                assertThat(Main.run(new Environment(Map.of()), new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter()), "set-image", checkout.toString(), "--image", "nginx", "--tag",
                        "1.26")).isZero();
                return List.of("push", checkout.toString(), "--repo", served.path().toString());
            }
        },
        UPDATE("gitops update", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws IOException {
                return List.of("update", "--repo", test.served().path().toString(), "--image", "nginx", "--tag", "1.26");
            }
        },
        ROLLBACK("gitops rollback", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws IOException {
                BareRepository served = test.served();
                served.commitDirectly("main", Map.of("deploy.yaml", DEPLOYMENT.replace("nginx:1.25", "nginx:1.26")),
                        "Deploy 1.26");
                return List.of("rollback", "--repo", served.path().toString(), "--image", "nginx", "--no-sync");
            }
        },
        SYNC("gitops sync", 0) {
            @Override
            List<String> prepare(ProcessEdgesTest test) throws IOException {
                FakeArgoCd argo = test.open(FakeArgoCd.start().setRevision("main", OLD));
                argo.createApp("guestbook");
                argo.setRevision("main", NEW);
                Path token = Files.writeString(test.temp.resolve("token"), argo.issueToken(FakeArgoCd.USERNAME) + "\n");
                return List.of("sync", "--server", argo.url(), "--app", "guestbook", "--token-file", token.toString(),
                        "--revision", NEW);
            }
        };

        final String name;
        final int exit;

        Printing(String name, int exit) {
            this.name = name;
            this.exit = exit;
        }

        abstract List<String> prepare(ProcessEdgesTest test) throws Exception;
    }

    private static final String OLD = "9d2c41a7e3f05b8c61d4f7a2e90b3c5d18e6f4a1";
    private static final String NEW = "8b1e0c4f9a7d2e3b6c5a4f1e0d9c8b7a6f5e4d3c";

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

    private Path directory() throws IOException {
        Path repo = Files.createDirectories(temp.resolve("repo"));
        Files.writeString(repo.resolve("deploy.yaml"), DEPLOYMENT);
        return repo;
    }

    private BareRepository served() throws IOException {
        return BareRepository.create(Files.createDirectories(temp.resolve("served")), "config.git", "main",
                Map.of("deploy.yaml", DEPLOYMENT));
    }

    /**
     * Each command first runs twice on the same input: once with a working stdout, to show that it prints there and
     * how it exits; then, from a fresh start, where stdout fails every write, as on {@code /dev/full}.
     */
    @ParameterizedTest
    @EnumSource(Printing.class)
    void aResultThatCannotBeWrittenToStdoutNeverExitsZero(Printing command) throws Exception {
        StringWriter printed = new StringWriter();
        StringWriter firstErr = new StringWriter();
        int asUsual = Main.run(new Environment(Map.of()), new PrintWriter(printed), new PrintWriter(firstErr),
                command.prepare(this).toArray(String[]::new));
        assertThat(asUsual).as(firstErr.toString()).isEqualTo(command.exit);
        assertThat(printed.toString()).as("prints a result").isNotEmpty();
        stopServers();
        servers.clear();
        deleteTree(temp);

        StringWriter err = new StringWriter();
        int exit = Main.run(new Environment(Map.of()), new PrintWriter(new FullDevice()), new PrintWriter(err),
                command.prepare(this).toArray(String[]::new));

        assertThat(exit).as(err.toString()).isEqualTo(command.exit == 0 ? ExitCode.FAILURE.code() : command.exit);
        assertThat(err.toString()).endsWith(command.name + ": cannot write the output to stdout\n");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).filter(path -> !path.equals(root)).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A stream on a full device: every write fails, as on {@code /dev/full}. */
    private static final class FullDevice extends Writer {
        @Override
        public void write(char[] text, int offset, int length) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** A command that keeps temporary state on disk while it runs: a clone in the temporary directory. */
    enum Temporary {
        UPDATE,
        UPDATE_OF_A_PATH,
        UPDATE_OF_AN_APPLICATION,
        UPDATE_THROUGH_A_PULL_REQUEST,
        ROLLBACK
    }

    @ParameterizedTest
    @EnumSource(Temporary.class)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void sigtermRemovesTheTemporaryStateOfTheRun(Temporary command) throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        BareRepository bare = BareRepository.create(served, "config.git", "main", Map.of("apps/web/deploy.yaml", DEPLOYMENT));
        Path pushing = temp.resolve("pushing");
        // The push stalls in the server's hook: the clone exists, and the run is in the middle of its work.
        bare.installHook("pre-receive", "#!/bin/sh\ncat >/dev/null\ntouch '" + pushing + "'\nsleep 20\n");
        Path password = Files.writeString(temp.resolve("password"), "s3cret-pw\n");
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        GitHttpServer server = open(GitHttpServer.start(served, "deployer", "s3cret-pw"));
        List<String> args = new ArrayList<>(List.of(command == Temporary.ROLLBACK ? "rollback" : "update",
                "--username", "deployer", "--password-file", password.toString(), "--image", "nginx"));
        args.addAll(command == Temporary.ROLLBACK ? List.of("--to", "1.24", "--no-sync") : List.of("--tag", "1.26"));
        Map<String, String> environment = new HashMap<>();
        switch (command) {
            case UPDATE -> args.addAll(List.of("--repo", server.url(bare.name())));
            case UPDATE_OF_A_PATH -> args.addAll(List.of("--repo", server.url(bare.name()), "--path", "apps/web"));
            case UPDATE_OF_AN_APPLICATION -> {
                FakeArgoCd argo = open(FakeArgoCd.builder().gitRepository(bare.path()).start());
                argo.createApp(FakeArgoCd.CONTROLLER_NAMESPACE, "web", server.url(bare.name()), "main").path("apps/web");
                Path token = Files.writeString(temp.resolve("token"), argo.issueToken(FakeArgoCd.USERNAME));
                args.addAll(List.of("--app", "web", "--server", argo.url(), "--token-file", token.toString()));
            }
            case UPDATE_THROUGH_A_PULL_REQUEST -> {
                FakeGitea gitea = open(FakeGitea.start("example-org/config"));
                args.addAll(List.of("--repo", server.url(bare.name()), "--pull-request", "--pr-provider", "gitea",
                        "--pr-api-url", gitea.apiUrl(), "--pr-repository", "example-org/config"));
                environment.put("GITOPS_PR_TOKEN", FakeForge.TOKEN);
            }
            case ROLLBACK -> args.addAll(List.of("--repo", server.url(bare.name()), "--path", "apps/web"));
            default -> throw new IllegalStateException(command.name());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> line = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        line.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(line)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(temp.resolve("update.err").toFile());
        builder.environment().putAll(environment);
        Process update = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.exists(pushing) && update.isAlive()) {
                assertThat(System.nanoTime()).as("the push reached the hook").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(update.isAlive()).as(Files.readString(temp.resolve("update.err"))).isTrue();
            assertThat(clones(tmp)).as("the clone exists while the push runs").hasSize(1);

            update.destroy(); // SIGTERM

            assertThat(update.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            update.destroyForcibly();
        }
        assertThat(clones(tmp)).as(Files.readString(temp.resolve("update.err"), StandardCharsets.UTF_8)).isEmpty();
    }

    private static List<Path> clones(Path tmp) throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith("gitops-")).toList();
        }
    }
}
