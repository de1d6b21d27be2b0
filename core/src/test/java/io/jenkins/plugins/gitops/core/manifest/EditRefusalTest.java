package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal names the file (and line) and leaves every file as it was. */
class EditRefusalTest extends ConfigRepoTestCase {

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
    Path outside;

    private void assertRefused(ThrowingCallable edit, Problem problem, String message) {
        Map<String, String> before = repo.snapshot();
        assertThatThrownBy(edit).isInstanceOfSatisfying(ManifestEditException.class,
                e -> assertThat(e.problem()).isEqualTo(problem)).hasMessageContaining(message);
        assertThat(repo.snapshot()).as("no file changed").isEqualTo(before);
    }

    private ThrowingCallable nginx() {
        return () -> repo.apply(ImageUpdate.tag("nginx", "1.26"));
    }

    @Test
    void refusesMalformedYamlNamingFileAndLine() {
        repo.write("a/deploy.yaml", DEPLOYMENT).write("b/broken.yaml", "image: nginx:1.25\nlist: [1, 2\nother: x\n");

        assertRefused(nginx(), Problem.MALFORMED_YAML, "b/broken.yaml:3: not valid YAML: ");
    }

    @Test
    void refusesDuplicateKeys() {
        repo.write("values.yaml", "image:\n  repository: nginx\n  tag: \"1\"\n  tag: \"2\"\n");

        assertRefused(nginx(), Problem.MALFORMED_YAML, "values.yaml:4: duplicate key 'tag'; remove one of them");
    }

    @Test
    void refusesAnAliasedTarget() {
        repo.write("deploy.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  annotations: {pinned: &img "nginx:1.25"}
                spec:
                  template:
                    spec:
                      containers:
                      - name: web
                        image: *img
                """);

        assertRefused(nginx(), Problem.ALIAS_TARGET,
                "deploy.yaml:5: spec.template.spec.containers[name=web].image is anchored and used through an alias elsewhere");
    }

    @Test
    void refusesATargetInsideATemplateExpression() {
        repo.write("values.yaml", "sidecar:\n  image: \"nginx:{{ .Values.nginxTag }}\"\n");

        assertRefused(nginx(), Problem.TEMPLATE_EXPRESSION,
                "values.yaml:2: sidecar.image holds a template expression ('nginx:{{ .Values.nginxTag }}')");
    }

    @Test
    void refusesABlockScalarTarget() {
        repo.write("values.yaml", "image: >-\n  nginx:1.25\n");

        assertRefused(nginx(), Problem.UNSUPPORTED_SHAPE, "values.yaml:1: image is a block scalar");
    }

    @Test
    void refusesAPathLeavingTheRoot() throws Exception {
        repo.write("deploy.yaml", DEPLOYMENT);

        assertRefused(() -> repo.apply(EditRequest.of(ImageUpdate.tag("nginx", "1.26")).withPaths(List.of("../etc"))),
                Problem.PATH_OUTSIDE_ROOT, "../etc: the path leaves the repository root");
    }

    @Test
    void refusesASymlinkPointingOutOfTheRoot() throws Exception {
        repo.write("deploy.yaml", DEPLOYMENT);
        Files.writeString(outside.resolve("secret.yaml"), DEPLOYMENT);
        Files.createSymbolicLink(dir.resolve("linked.yaml"), outside.resolve("secret.yaml"));
        Files.createSymbolicLink(dir.resolve("linked-dir"), outside);

        assertRefused(nginx(), Problem.PATH_OUTSIDE_ROOT, "linked.yaml: a symbolic link to ");
        assertRefused(() -> repo.apply(EditRequest.of(ImageUpdate.tag("nginx", "1.26")).withPaths(List.of("linked-dir"))),
                Problem.PATH_OUTSIDE_ROOT, "linked-dir: the path leads outside the repository root through a symbolic link");
        assertThat(Files.readString(outside.resolve("secret.yaml"))).as("the file outside").isEqualTo(DEPLOYMENT);
    }

    @Test
    void refusesAMissingPath() {
        assertRefused(() -> repo.apply(EditRequest.of(ImageUpdate.tag("nginx", "1.26")).withPaths(List.of("nope"))),
                Problem.PATH_NOT_FOUND, "nope: no such file or directory");
    }

    @Test
    void refusesAFileOverTheSizeLimit() {
        repo.write("deploy.yaml", DEPLOYMENT);
        ManifestEditor small = new ManifestEditor(dir, new ManifestEditor.Limits(100, 10, 10));

        assertRefused(() -> small.apply(EditRequest.of(ImageUpdate.tag("nginx", "1.26"))), Problem.FILE_TOO_LARGE,
                "deploy.yaml: the file has " + DEPLOYMENT.length() + " bytes; the limit is 100");
    }

    @Test
    void refusesBinaryAndNonUtf8Files() {
        repo.writeBytes("blob.yaml", "image: nginx:1.25\n\0\1\2".getBytes(StandardCharsets.UTF_8));
        assertRefused(nginx(), Problem.BINARY_FILE, "blob.yaml: binary file (NUL byte at offset 18)");

        repo.writeBytes("blob.yaml", "image: nginx:1.25 \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(nginx(), Problem.BINARY_FILE, "blob.yaml: not UTF-8 text");
    }

    @Test
    void refusesAYamlBomb() {
        StringBuilder bomb = new StringBuilder("image: nginx:1.25\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char previous = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [").append(("*" + previous + ",").repeat(8))
                    .append('*').append(previous).append("]\n");
        }
        repo.write("values.yaml", bomb.toString());
        assertRefused(nginx(), Problem.PARSER_LIMIT, "values.yaml:2: a node is reached through more than 100 aliases (a YAML bomb?)");

        repo.write("values.yaml", "image: nginx:1.25\na: &a [x]\nb: [" + "*a, ".repeat(150) + "*a]\n");
        assertRefused(nginx(), Problem.PARSER_LIMIT, "values.yaml: refused by the hardened parser: Number of aliases");
    }

    @Test
    void refusesNestingBeyondTheLimit() {
        repo.write("values.yaml", "image: nginx:1.25\ndeep: " + "[".repeat(500) + "]".repeat(500) + "\n");

        assertRefused(nginx(), Problem.PARSER_LIMIT, "values.yaml: refused by the hardened parser: ");
    }

    @Test
    void changesNoFileWhenAnyFileIsRefused() {
        repo.write("a/deploy.yaml", DEPLOYMENT).write("a/values.yaml", "image: nginx:1.25\n")
                .write("z/values.yaml", "image:\n  repository: nginx\n  tag: >-\n    1.25\n");

        assertRefused(nginx(), Problem.UNSUPPORTED_SHAPE, "z/values.yaml:3: image.tag is a block scalar");
    }

    @Test
    void rejectsAMalformedImageInTheRequest() {
        assertThatThrownBy(() -> ImageUpdate.tag("nginx", "1.0+x")).hasMessageContaining("tag '1.0+x' has invalid characters");
        assertThatThrownBy(() -> new ImageUpdate("nginx", null, null, null)).hasMessageContaining("nothing to change");
        assertThatThrownBy(() -> new ImageUpdate("nginx", "ghcr.io/x:1", null, null))
                .hasMessageContaining("the new name must not carry a tag or digest");
    }
}
