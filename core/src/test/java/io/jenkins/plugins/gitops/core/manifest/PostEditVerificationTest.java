package io.jenkins.plugins.gitops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.manifest.ManifestEditException.Problem;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The editor re-parses every edited document and refuses the edit when anything but the planned values moved. The
 * splices are right in every other test, so this one renders through a wrong splice on purpose: the verification
 * must refuse it, name file and line, and write nothing (no file, no journal, no change-set intent).
 */
class PostEditVerificationTest extends ConfigRepoTestCase {

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
                    imagePullPolicy: Always
                  - name: sidecar
                    image: envoy:1.30
            """;

    private EditReport applyRenderedBy(ManifestEditor.Rendering rendering) {
        return new ManifestEditor(dir, ManifestEditor.Limits.DEFAULT, ChangeSetWriter.Checkpoint.NONE, rendering)
                .apply(EditRequest.of(ImageUpdate.tag("nginx", "1.26")));
    }

    static Stream<Arguments> wrongSplices() {
        return Stream.of(
                Arguments.of("a neighbouring value changed too",
                        (ManifestEditor.Rendering) edits -> edits.render().replace("Always", "Never"),
                        "deploy.yaml:10: refused: after editing, a value that should not change differs"),
                Arguments.of("the new value cut one character short",
                        (ManifestEditor.Rendering) edits -> edits.render().replace("nginx:1.26", "nginx:1.2"),
                        "deploy.yaml:9: refused: after editing, the edited value does not read back as the string 'nginx:1.26'"),
                Arguments.of("the splice swallowed the line break after the value",
                        (ManifestEditor.Rendering) edits -> edits.render().replace("nginx:1.26\n", "nginx:1.26 "),
                        "deploy.yaml: refused: after editing, the edited text no longer parses"),
                Arguments.of("the splice ate the next line",
                        (ManifestEditor.Rendering) edits -> edits.render().replace("\n        imagePullPolicy: Always", ""),
                        "deploy.yaml:8: refused: after editing, a mapping has different keys: [name, image] instead of"),
                Arguments.of("the value landed in the wrong container",
                        (ManifestEditor.Rendering) edits -> edits.render().replace("nginx:1.26", "nginx:1.25")
                                .replace("envoy:1.30", "nginx:1.26"),
                        "refused: after editing, the edited value does not read back as the string 'nginx:1.26'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongSplices")
    void aWrongSpliceIsRefusedNamingFileAndLineWithNothingWritten(String name, ManifestEditor.Rendering wrong,
            String message) {
        repo.write("deploy.yaml", DEPLOYMENT);
        Map<String, String> before = repo.snapshot();

        assertThatThrownBy(() -> applyRenderedBy(wrong)).isInstanceOfSatisfying(ManifestEditException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.VERIFICATION_FAILED))
                .hasMessageContaining(message).hasMessageContaining("nothing was written");
        assertThat(repo.snapshot()).as("every file as it was, and nothing added").isEqualTo(before);
    }

    @Test
    void theSameSeamWithTheRealSplicesWritesTheEdit() {
        repo.write("deploy.yaml", DEPLOYMENT);

        EditReport report = applyRenderedBy(ManifestEditor.Rendering.SPLICES);

        assertThat(report.outcome()).isEqualTo(EditReport.Outcome.CHANGED);
        assertThat(repo.read("deploy.yaml")).isEqualTo(DEPLOYMENT.replace("nginx:1.25", "nginx:1.26"));
    }
}
