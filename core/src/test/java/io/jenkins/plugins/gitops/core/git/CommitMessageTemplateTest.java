package io.jenkins.plugins.gitops.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommitMessageTemplateTest {

    @Test
    void defaultMessageNamesImageAndVersionsAndEndsWithSkipCi() {
        String message = CommitMessageTemplate.DEFAULT.render(Map.of(
                "image", "ghcr.io/org/app", "oldVersion", "1.0.0", "newVersion", "1.1.0", "files", "apps/app/deployment.yaml"));

        assertThat(message).isEqualTo("""
                Update ghcr.io/org/app from 1.0.0 to 1.1.0

                Files: apps/app/deployment.yaml

                [skip ci]
                """);
    }

    @Test
    void dropsALineWhoseVariablesAreAllEmptyButKeepsPlainText() {
        CommitMessageTemplate template = new CommitMessageTemplate("deploy ${app}\nbuild ${buildUrl}\n\nplain line");

        assertThat(template.render(Map.of("app", "guestbook"))).isEqualTo("deploy guestbook\n\nplain line\n");
    }

    static Stream<Arguments> subjectsWithoutTheirVariables() {
        return Stream.of(
                Arguments.of("one file, no image (a push without a journal)", CommitMessageTemplate.DEFAULT,
                        Map.of("files", "apps/guestbook/deployment.yaml"), """
                        Update apps/guestbook/deployment.yaml

                        Files: apps/guestbook/deployment.yaml

                        [skip ci]
                        """),
                Arguments.of("three files and an app", CommitMessageTemplate.DEFAULT,
                        Map.of("files", "a.yaml, b.yaml, c.yaml", "app", "guestbook"), """
                        Update guestbook: a.yaml, b.yaml, c.yaml

                        App: guestbook
                        Files: a.yaml, b.yaml, c.yaml

                        [skip ci]
                        """),
                Arguments.of("more than three files", CommitMessageTemplate.DEFAULT,
                        Map.of("files", "a.yaml, b.yaml, c.yaml, d.yaml"), """
                        Update 4 files

                        Files: a.yaml, b.yaml, c.yaml, d.yaml

                        [skip ci]
                        """),
                Arguments.of("a template of one's own", new CommitMessageTemplate("${image} ${newTag}\nBuild ${buildUrl}"),
                        Map.of("files", "x.yaml", "buildUrl", "https://ci/1"), """
                        Update x.yaml

                        Build https://ci/1
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjectsWithoutTheirVariables")
    void aSubjectWhoseVariablesAreAllEmptyBecomesUpdateFiles(String name, CommitMessageTemplate template,
            Map<String, String> values, String message) {
        assertThat(template.render(values)).isEqualTo(message);
    }

    @Test
    void insertsValuesLiterallyEvenWithDollarSignsAndBackslashes() {
        assertThat(new CommitMessageTemplate("${newTag}").render(Map.of("newTag", "a$1\\b"))).isEqualTo("a$1\\b\n");
    }

    @Test
    void rejectsAnUnknownVariableNamingIt() {
        assertThatThrownBy(() -> new CommitMessageTemplate("bump ${version}"))
                .isInstanceOf(GitOperationException.class)
                .hasMessageContaining("${version}")
                .hasMessageContaining("newVersion");
    }
}
