package io.jenkins.plugins.gitops.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
