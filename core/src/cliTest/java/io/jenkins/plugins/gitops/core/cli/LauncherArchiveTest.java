package io.jenkins.plugins.gitops.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the {@code gitops} launcher picks, builds and maps its class data archive for the {@code java} on the PATH. The
 * {@code java} here stands in for a JDK of a given version (its {@code release} file says which): it writes down each
 * command line it gets, writes a class list for each training run and an archive for each dump, so that the choices
 * the launcher makes show without a minute of real dumps per case. The last test runs the real JVM that runs the tests.
 */
class LauncherArchiveTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path checkout;

    @TempDir
    Path jdks;

    /** The directory the launcher is started in. */
    @TempDir
    Path caller;

    private Path jar;

    @BeforeEach
    void layOutACheckoutWithAFreshJar() throws IOException {
        Files.copy(REPOSITORY.resolve("gitops"), checkout.resolve("gitops"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(checkout.resolve("core/src/main/java"));
        Files.createDirectories(checkout.resolve("core/src/cli/java"));
        Files.writeString(checkout.resolve("core/pom.xml"), "<project/>\n");
        Path example = checkout.resolve("examples/config-repo/apps/guestbook/kustomization.yaml");
        Files.createDirectories(example.getParent());
        Files.writeString(example, "images:\n  - name: ghcr.io/example-org/guestbook\n    newTag: 1.0.0\n");
        jar = checkout.resolve("core/target/gitops.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not run: the stand-in java never opens it\n");
        // Sources older than the jar, which is older than anything the runs write: no build, and a fresh archive.
        FileTime sources = FileTime.fromMillis(System.currentTimeMillis() - 120_000);
        for (String source : List.of("core/src/main/java", "core/src/main", "core/src/cli/java", "core/src/cli", "core/pom.xml")) {
            Files.setLastModifiedTime(checkout.resolve(source), sources);
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }

    @Test
    void onJdk25TheLauncherDumpsAnAotCacheOfTheThreeTrainingRunsAndMapsIt() throws Exception {
        Path java = jdk("temurin-25", "25.0.1+8-LTS");

        run(java);

        Path cache = checkout.resolve("core/target/gitops-" + key(java, "25.0.1+8-LTS") + ".aot");
        List<String> calls = calls(java);
        assertThat(calls).hasSize(5);
        assertThat(calls.subList(0, 3)).allSatisfy(call -> assertThat(call).contains("-XX:DumpLoadedClassList="));
        assertThat(calls.get(3)).contains("-Xshare:dump", "-XX:+AOTClassLinking");
        assertThat(calls.get(4)).contains("-XX:AOTCache=" + cache, "-jar " + jar).doesNotContain("-XX:SharedArchiveFile");
        assertThat(cache).hasContent("archive");
        assertThat(Files.readAllLines(java.resolveSibling("dumped-classes")))
                .as("the three lists as one, without the run-local class numbers that collide between them")
                .containsExactly("java/lang/Object", "run/set-image", "run/update", "run/http");
        assertThat(leftovers()).as("temporary files of the dump").isEmpty();
    }

    @Test
    void beforeJdk25TheLauncherMapsAStaticArchiveWithoutAheadOfTimeLinking() throws Exception {
        Path java = jdk("openjdk-17", "17.0.15+6-Debian-1deb12u1");

        run(java);

        Path archive = checkout.resolve("core/target/gitops-" + key(java, "17.0.15+6-Debian-1deb12u1") + ".jsa");
        List<String> calls = calls(java);
        assertThat(calls.get(3)).contains("-Xshare:dump").doesNotContain("AOTClassLinking");
        assertThat(calls.get(4)).contains("-XX:SharedArchiveFile=" + archive).doesNotContain("AOTCache");
        assertThat(archive).hasContent("archive");
    }

    @Test
    void aFreshArchiveIsMappedWithoutTrainingAgain() throws Exception {
        Path java = jdk("temurin-25", "25.0.1+8-LTS");
        run(java);
        Files.delete(java.resolveSibling("calls"));

        run(java);

        assertThat(calls(java)).singleElement().asString().contains("-XX:AOTCache=").doesNotContain("-Xshare:dump");
    }

    @Test
    void anotherJvmNeverMapsTheFirstOnesArchiveButBuildsItsOwn() throws Exception {
        Path first = jdk("temurin-25", "25.0.1+8-LTS");
        Path second = jdk("other-25", "25.0.1+8-LTS");
        run(first);

        run(second);

        List<String> calls = calls(second);
        assertThat(calls).hasSize(5);
        assertThat(calls.get(4)).contains("-XX:AOTCache=" + checkout.resolve("core/target/gitops-" + key(second, "25.0.1+8-LTS") + ".aot"))
                .doesNotContain(key(first, "25.0.1+8-LTS"));
        assertThat(archives()).hasSize(2);
    }

    @Test
    void theSameJvmUpgradedInPlaceBuildsANewArchive() throws Exception {
        Path java = jdk("temurin-25", "25.0.1+8-LTS");
        run(java);
        Files.delete(java.resolveSibling("calls"));
        Files.writeString(java.getParent().resolveSibling("release"), "JAVA_VERSION=\"25.0.2\"\nJAVA_RUNTIME_VERSION=\"25.0.2+10-LTS\"\n");

        run(java);

        assertThat(calls(java)).hasSize(5);
        assertThat(calls(java).get(4)).contains("-XX:AOTCache=" + checkout.resolve("core/target/gitops-" + key(java, "25.0.2+10-LTS") + ".aot"));
    }

    @Test
    void anArchiveOlderThanTheJarIsBuiltAgain() throws Exception {
        Path java = jdk("temurin-25", "25.0.1+8-LTS");
        run(java);
        Files.delete(java.resolveSibling("calls"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        run(java);

        assertThat(calls(java)).hasSize(5);
        assertThat(calls(java).get(3)).contains("-Xshare:dump");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exit", "crash"})
    void aFailedDumpLeavesNoArchiveNorAnythingInTheCallersDirectoryAndTheRunGoesOnQuietlyWithoutOne(String failure)
            throws Exception {
        Path java = jdk("temurin-25", "25.0.1+8-LTS");

        ProcessResult result = run(java, Map.of("STAND_IN_DUMP_FAILS", failure));

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(calls(java).get(4)).doesNotContain("AOTCache", "SharedArchiveFile");
        assertThat(archives()).isEmpty();
        assertThat(leftovers()).isEmpty();
        try (Stream<Path> files = Files.list(caller)) {
            assertThat(files).as("the crashed JVM's error file").isEmpty();
        }
    }

    @Test
    void aJvmWithoutAReleaseFileGetsAStaticArchiveNamedForItsDirectory() throws Exception {
        Path java = jdk("unpackaged", "unused");
        Files.delete(java.getParent().resolveSibling("release"));

        run(java);

        assertThat(calls(java).get(4)).contains("-XX:SharedArchiveFile="
                + checkout.resolve("core/target/gitops-" + key(java, "unknown") + ".jsa"));
    }

    @Test
    void theRealJvmMapsTheArchiveItDumpedAndIgnoresAnUnusableOneQuietly() throws Exception {
        writeRealJar();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessResult first = run(java, Map.of());
        assertThat(first.exit()).as(first.stderr()).isZero();
        assertThat(first.stderr()).isEmpty();
        assertThat(archives()).as("one archive for this JVM").hasSize(1);
        Path archive = archives().get(0);

        Path classLoads = checkout.resolve("class-loads.txt");
        ProcessResult mapped = run(java, Map.of("GITOPS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLoads));
        assertThat(mapped.exit()).as(mapped.stderr()).isZero();
        assertThat(Files.readAllLines(classLoads)).as("where Main came from")
                .anySatisfy(line -> assertThat(line).contains(Main.class.getName() + " source: shared objects file"));

        Files.writeString(archive, "not an archive: another JVM's, or cut short\n");
        ProcessResult unusable = run(java, Map.of());
        assertThat(unusable.exit()).as(unusable.stderr()).isZero();
        assertThat(unusable.stdout()).startsWith("gitops ");
        assertThat(unusable.stderr()).isEmpty();
    }

    /**
     * The launcher's jar as the build's shade step makes it, for a real dump: this build's classes (picocli's among
     * them, compiled for Java 17) and the classes of the libraries on the test's class path, merged into one jar (a
     * jar whose manifest names the libraries instead made JDK 17's dump crash).
     */
    private void writeRealJar() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        Set<String> written = new HashSet<>();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> entries = Files.walk(classes)) {
            for (Path entry : (Iterable<Path>) entries.filter(Files::isRegularFile)::iterator) {
                String name = classes.relativize(entry).toString().replace(File.separatorChar, '/');
                written.add(name);
                out.putNextEntry(new JarEntry(name));
                Files.copy(entry, out);
                out.closeEntry();
            }
            for (String library : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!library.endsWith(".jar") || Path.of(library).getFileName().toString().startsWith("picocli-")) {
                    continue;
                }
                try (JarFile libraryJar = new JarFile(library)) {
                    for (JarEntry entry : Collections.list(libraryJar.entries())) {
                        String name = entry.getName();
                        if (entry.isDirectory() || !name.endsWith(".class") || name.startsWith("META-INF/")
                                || name.endsWith("module-info.class") || !written.add(name)) {
                            continue;
                        }
                        out.putNextEntry(new JarEntry(name));
                        try (InputStream in = libraryJar.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
            }
        }
        try (Stream<Path> old = Files.walk(checkout.resolve("examples/config-repo"))) {
            old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        copyTree(REPOSITORY.resolve("examples/config-repo"), checkout.resolve("examples/config-repo"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Files.copy(source, to.resolve(from.relativize(source).toString()));
            }
        }
    }

    /** The archive name's JVM part as the launcher spells it: the JDK directory and runtime version, as a file name. */
    private static String key(Path java, String runtime) throws IOException {
        return (java.toRealPath().getParent().getParent() + "@" + runtime).replaceAll("[^A-Za-z0-9.+-]", "_");
    }

    /**
     * A JDK directory whose {@code bin/java} writes down its arguments to {@code bin/calls}, writes a class list for a
     * training run ({@code -XX:DumpLoadedClassList}, the same two class numbers for every run, as JDK 25 writes them),
     * and for a dump keeps the class list it got in {@code bin/dumped-classes} and writes the archive.
     */
    private Path jdk(String name, String runtime) throws IOException {
        Path java = jdks.resolve(name).resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java.getParent().resolveSibling("release"),
                "JAVA_VERSION=\"" + runtime.split("\\+")[0] + "\"\nJAVA_RUNTIME_VERSION=\"" + runtime + "\"\n");
        Files.writeString(java, String.join("\n",
                "#!/bin/sh",
                "here=$(dirname \"$0\")",
                "printf '%s\\n' \"$*\" >> \"$here/calls\"",
                "dump= archive= list=",
                "for arg do",
                "  case $arg in",
                "    -XX:DumpLoadedClassList=*) printf 'java/lang/Object id: 0\\nrun/%s id: 1\\n' \"${arg##*.}\" > \"${arg#*=}\" ;;",
                "    -XX:SharedClassListFile=*) list=${arg#*=} ;;",
                "    -XX:SharedArchiveFile=*) archive=${arg#*=} ;;",
                "    -Xshare:dump) dump=yes ;;",
                "  esac",
                "done",
                "if [ -n \"$dump\" ]; then",
                "  case $STAND_IN_DUMP_FAILS in",
                "    exit) printf 'part' > \"$archive\"; exit 1 ;;",
                "    crash) printf 'part' > \"$archive\"; printf 'crash' > \"hs_err_pid$$.log\"; kill -SEGV $$ ;;",
                "  esac",
                "  cp \"$list\" \"$here/dumped-classes\"",
                "  printf 'archive' > \"$archive\"",
                "fi",
                ""));
        assertThat(java.toFile().setExecutable(true)).isTrue();
        return java;
    }

    private ProcessResult run(Path java) throws Exception {
        ProcessResult result = run(java, Map.of());
        assertThat(result.exit()).as(result.stderr()).isZero();
        return result;
    }

    private ProcessResult run(Path java, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(checkout.resolve("gitops").toString(), "--version");
        builder.environment().put("PATH", java.getParent() + ":" + System.getenv("PATH"));
        builder.environment().putAll(environment);
        builder.directory(caller.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new ProcessResult(process.exitValue(), stdout, stderr);
    }

    private static List<String> calls(Path java) throws IOException {
        return Files.readAllLines(java.resolveSibling("calls"));
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(checkout.resolve("core/target"))) {
            return files.filter(f -> f.getFileName().toString().matches("gitops-.*\\.(aot|jsa)")).collect(Collectors.toList());
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(checkout.resolve("core/target"))) {
            return files.filter(f -> f.getFileName().toString().matches("gitops-.*\\.(aot|jsa)\\..*")).collect(Collectors.toList());
        }
    }

    private record ProcessResult(int exit, String stdout, String stderr) {}
}
