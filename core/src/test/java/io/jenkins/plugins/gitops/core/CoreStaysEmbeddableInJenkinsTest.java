package io.jenkins.plugins.gitops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins plugin runs core inside a Jenkins controller and its agents, where picocli is not on the class path (the CLI lives in {@code core/src/cli/java}, which the plugin never compiles),
 * fabric8 comes through kubernetes-client-api with the OkHttp client (not the JDK one), and core must not pull in
 * Jenkins itself. These rules are checked on the source text of {@code core/src/main/java} (code only: comments and
 * string literals are ignored).
 */
class CoreStaysEmbeddableInJenkinsTest {

    /** core's directory: set by core's build and by the plugin's, which runs these tests from the project root. */
    private static final Path CORE = Path.of(System.getProperty("gitops.core.dir", "."));
    private static final Path MAIN = CORE.resolve("src/main/java/io/jenkins/plugins/gitops/core");
    private static final Path CLI = CORE.resolve("src/cli/java/io/jenkins/plugins/gitops/core/cli");
    private static final Pattern PICOCLI = Pattern.compile("(?<![\\w.])picocli\\.");
    private static final Pattern JDK_HTTP_CLIENT = Pattern.compile("io\\.fabric8\\.kubernetes\\.client\\.jdkhttp");
    private static final Pattern JENKINS = Pattern.compile("(?<![\\w.])(hudson|jenkins|org\\.kohsuke)\\.");
    private static final Pattern MANIFEST = Pattern.compile("io\\.jenkins\\.plugins\\.gitops\\.core\\.manifest\\.");

    private static List<SourceFile> sources;

    record SourceFile(Path path, String code) {
        String packageName() {
            return MAIN.relativize(path.getParent()).toString().replace('\\', '/');
        }

        boolean uses(Pattern pattern) {
            return pattern.matcher(code).find();
        }
    }

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).map(file -> {
                try {
                    return new SourceFile(file, codeOnly(Files.readString(file)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(sources).as("core's main sources under " + MAIN.toAbsolutePath()).hasSizeGreaterThan(50);
    }

    /** Drops comments and string literals, so that documentation may name what code must not use. */
    static String codeOnly(String source) {
        String noBlocks = source.replaceAll("(?s)/\\*.*?\\*/", " ");
        String noTextBlocks = noBlocks.replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"");
        String noStrings = noTextBlocks.replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"");
        return noStrings.replaceAll("//[^\\n]*", " ");
    }

    private static List<Path> offenders(Predicate<SourceFile> rule) {
        return sources.stream().filter(rule.negate()).map(SourceFile::path).toList();
    }

    @Test
    void picocliStaysInTheCliSourceRoot() throws IOException {
        assertThat(offenders(file -> !file.uses(PICOCLI))).isEmpty();
        assertThat(sources).as("the CLI has its own source root").noneMatch(file -> file.packageName().equals("cli"));
        try (Stream<Path> files = Files.walk(CLI)) {
            assertThat(files.filter(file -> file.toString().endsWith(".java")).map(file -> {
                try {
                    return codeOnly(Files.readString(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })).as("the rule sees the CLI's own use").anyMatch(code -> PICOCLI.matcher(code).find());
        }
    }

    @Test
    void nothingNamesFabric8sJdkHttpClient() {
        assertThat(offenders(file -> !file.uses(JDK_HTTP_CLIENT))).isEmpty();
    }

    @Test
    void nothingUsesJenkinsClasses() {
        assertThat(offenders(file -> !file.uses(JENKINS))).isEmpty();
    }

    @Test
    void gitKnowsNothingOfManifests() {
        assertThat(offenders(file -> !file.packageName().equals("git") || !file.uses(MANIFEST))).isEmpty();
    }

    @Test
    void theRulesSeeCodeButNotCommentsOrStrings() {
        String code = codeOnly("""
                import hudson.model.Run;
                /** Never use {@code picocli.CommandLine} here. */
                class A { String s = "io.fabric8.kubernetes.client.jdkhttp"; // jenkins.model.Jenkins
                  picocli.CommandLine line; }
                """);

        assertThat(JENKINS.matcher(code).find()).isTrue();
        assertThat(PICOCLI.matcher(code).find()).isTrue();
        assertThat(JDK_HTTP_CLIENT.matcher(code).find()).isFalse();
        assertThat(JENKINS.matcher(codeOnly("package io.jenkins.plugins.gitops.core; // jenkins.model.Jenkins")).find())
                .isFalse();
    }
}
