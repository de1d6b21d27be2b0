package io.jenkins.plugins.gitops.credentials;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Git credentials come from Jenkins: a repository URL that carries one is refused before anything uses it. */
class RepositoryUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "https://ci-bot:s3cr3t@git.example.com/platform/config.git",
        "https://s3cr3t@git.example.com/platform/config.git",
        "http://ci-bot@git.example.com/platform/config.git",
        "git://s3cr3t@git.example.com/platform/config.git",
        "ssh://git:s3cr3t@git.example.com/platform/config.git",
    })
    void aUrlWithATokenPasswordOrHttpUserIsRefusedWithoutShowingIt(String url) {
        assertThatThrownBy(() -> BuildCredentials.refuseSecretsIn(url))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("must not carry a user name, token or password")
                .hasMessageContaining("git.example.com/platform/config.git")
                .hasMessageNotContaining("s3cr3t")
                .hasMessageNotContaining("ci-bot");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://git.example.com/platform/config.git",
        "git@git.example.com:platform/config.git",
        "ssh://git@git.example.com:2222/platform/config.git",
        "/srv/git/config.git",
    })
    void aUrlWithoutSecretsIsAccepted(String url) {
        assertThatCode(() -> BuildCredentials.refuseSecretsIn(url)).doesNotThrowAnyException();
    }
}
