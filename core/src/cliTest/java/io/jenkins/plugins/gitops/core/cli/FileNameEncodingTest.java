package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitCli;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A repository that holds a non-ASCII file name, under the locales of CI containers and Jenkins agents. A JVM in the
 * C locale encodes file names in ASCII: it would write {@code ?} in place of the other characters, and would read such
 * a name back as a different one. Wherever a name reaches the file system (the walk of a directory, the checkout of a
 * clone, the status of an existing checkout) such a JVM refuses, naming the file as git quotes it and the remedy, and
 * writes nothing; a name it can represent, and every name in a UTF-8 locale, works. Each case runs the tool in a JVM of
 * its own started in the locale under test.
 */
class FileNameEncodingTest {

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

    /** A locale as the environment sets it; the process starts with no other LANG or LC_* variable. */
    record Locale(String label, Map<String, String> environment, boolean utf8) {
        @Override
        public String toString() {
            return label;
        }
    }

    static final Locale LANG_C = new Locale("LANG=C", Map.of("LANG", "C"), false);
    static final Locale LC_ALL_C = new Locale("LC_ALL=C over LANG=C.UTF-8", Map.of("LANG", "C.UTF-8", "LC_ALL", "C"), false);
    static final Locale NO_LOCALE = new Locale("no locale", Map.of(), false);
    static final Locale UTF_8 = new Locale("LC_ALL=C.UTF-8 over LANG=C", Map.of("LANG", "C", "LC_ALL", "C.UTF-8"), true);

    /** A file name in the repository, and how git's default {@code core.quotePath} prints it. */
    record Name(String path, String quoted) {
        boolean ascii() {
            return path.chars().allMatch(c -> c < 0x80);
        }

        @Override
        public String toString() {
            return quoted;
        }
    }

    static final Name ACCENTED = new Name("apps/café/déploiement.yaml", "\"apps/caf\\303\\251/d\\303\\251ploiement.yaml\"");
    static final Name CJK = new Name("アプリ/配置.yaml", "\"\\343\\202\\242\\343\\203\\227\\343\\203\\252/\\351\\205\\215\\347\\275\\256.yaml\"");
    static final Name EMOJI = new Name("apps/\uD83D\uDE80/deploy.yaml", "\"apps/\\360\\237\\232\\200/deploy.yaml\"");
    static final Name ASCII = new Name("apps/plain/deploy.yaml", "apps/plain/deploy.yaml");

    /** Where the tool meets the repository's names. */
    enum Entry {
        /** set-image on a checkout made by the git command line: the walk lists the directory. */
        WALK,
        /** update: JGit clones into --workdir and checks the whole tree out. */
        CLONE,
        /** update --path deploy.yaml: only that file is checked out, the other names stay in the tree. */
        CLONE_OF_A_PATH,
        /** push of a set-image edit to deploy.yaml, in a checkout made by the git command line: JGit reads its status. */
        PUSH
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Entry entry : Entry.values()) {
            for (Name name : List.of(ACCENTED, CJK, EMOJI, ASCII)) {
                cases.add(Arguments.of(entry, name, LANG_C));
            }
            for (Locale locale : List.of(LC_ALL_C, NO_LOCALE, UTF_8)) {
                cases.add(Arguments.of(entry, ACCENTED, locale));
            }
        }
        return cases.stream();
    }

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}: {1} under {2}")
    @MethodSource("cases")
    void aNameTheJvmCannotRepresentIsRefusedNamingItAndTheRemedyAndNothingIsWritten(Entry entry, Name name, Locale locale)
            throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        BareRepository bare = BareRepository.create(served, "config.git", "main", Map.of("deploy.yaml", DEPLOYMENT));
        addFile(bare.path(), name.path(), DEPLOYMENT);
        String published = bare.commitOf("main");
        Path password = Files.writeString(temp.resolve("password"), "s3cret-pw\n");
        boolean refused = !locale.utf8() && !name.ascii() && entry != Entry.CLONE_OF_A_PATH;

        try (GitHttpServer server = GitHttpServer.start(served, "deployer", "s3cret-pw").allowFilters()) {
            List<String> credentials = List.of("--username", "deployer", "--password-file", password.toString());
            Path checkout = temp.resolve("checkout");
            Run run;
            String command;
            switch (entry) {
                case WALK -> {
                    GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
                    command = "set-image";
                    run = gitops(locale, List.of(command, checkout.toString(), "--image", "nginx", "--tag", "1.26"));
                }
                case CLONE, CLONE_OF_A_PATH -> {
                    command = "update";
                    List<String> args = new ArrayList<>(List.of(command, "--repo", server.url(bare.name()),
                            "--workdir", checkout.toString(), "--image", "nginx", "--tag", "1.26"));
                    args.addAll(credentials);
                    if (entry == Entry.CLONE_OF_A_PATH) {
                        args.addAll(List.of("--path", "deploy.yaml"));
                    }
                    run = gitops(locale, args);
                }
                case PUSH -> {
                    GitCli.run(temp, "clone", "--quiet", bare.path().toString(), checkout.toString());
                    Run edit = gitops(UTF_8, List.of("set-image", checkout.toString(), "--path", "deploy.yaml",
                            "--image", "nginx", "--tag", "1.26"));
                    assertThat(edit.exit()).as(edit.err()).isZero();
                    command = "push";
                    List<String> args = new ArrayList<>(List.of(command, checkout.toString(), "--repo", server.url(bare.name())));
                    args.addAll(credentials);
                    run = gitops(locale, args);
                }
                default -> throw new IllegalStateException(entry.name());
            }

            if (!refused) {
                assertThat(run.exit()).as(run.err()).isZero();
                if (entry != Entry.WALK) {
                    assertThat(bare.commitOf("main")).as("pushed").isNotEqualTo(published);
                }
                return;
            }
            assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.FAILURE.code());
            assertThat(run.err().lines().reduce((first, last) -> last).orElse(""))
                    .startsWith("gitops " + command + ": " + name.quoted() + (entry == Entry.WALK ? ": " : " in "))
                    .endsWith(": the file name cannot be represented in this JVM's file name encoding, ANSI_X3.4-1968:"
                            + " start Java in a UTF-8 locale (LC_ALL=C.UTF-8; for a Jenkins agent, the agent's JVM), as the"
                            + " gitops launcher does");
            assertThat(run.err()).doesNotContain("Exception");
            assertThat(bare.commitOf("main")).as("nothing pushed").isEqualTo(published);
            switch (entry) {
                case CLONE -> assertThat(checkout).as("no half-made clone is left").doesNotExist();
                case WALK -> assertThat(GitCli.run(checkout, "status", "--porcelain")).as("nothing written").isEmpty();
                case PUSH -> assertThat(GitCli.run(checkout, "status", "--porcelain")).as("the edit alone, still to push")
                        .isEqualTo(" M deploy.yaml\n");
                default -> throw new IllegalStateException(entry.name());
            }
        }
    }

    /**
     * Commits {@code path} onto {@code main} with JGit from Java strings: the tree holds the name's UTF-8 bytes, as git
     * stores it, whatever this JVM's own file name encoding.
     */
    private static void addFile(Path bare, String path, String content) throws IOException {
        try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
                ObjectInserter inserter = repository.newObjectInserter()) {
            ObjectId parent = repository.resolve("refs/heads/main");
            DirCache index = DirCache.read(repository.newObjectReader(), repository.parseCommit(parent).getTree());
            DirCacheBuilder builder = index.builder();
            builder.keep(0, index.getEntryCount());
            DirCacheEntry file = new DirCacheEntry(path);
            file.setFileMode(FileMode.REGULAR_FILE);
            file.setObjectId(inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
            builder.add(file);
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setParentId(parent);
            PersonIdent author = new PersonIdent("Tester", "tester@example.com");
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage("Add " + path);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repository.updateRef("refs/heads/main");
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(parent);
            assertThat(update.update()).isEqualTo(RefUpdate.Result.FAST_FORWARD);
        }
    }

    private record Run(int exit, String err) {}

    private Run gitops(Locale locale, List<String> args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("LANG"));
        builder.environment().putAll(locale.environment());
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), err);
    }
}
