package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The link from a pushed commit to its page on the build page: known hosts only, never the credentials of the URL. */
class CommitLinksTest {

    private static final String SHA = "4f1c2a9be0d3c5f6a7b8c9d0e1f2a3b4c5d6e7f8";

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "https://github.com/example-org/config.git, https://github.com/example-org/config/commit/" + SHA,
            "https://github.com/example-org/config/, https://github.com/example-org/config/commit/" + SHA,
            "git@github.com:example-org/config.git, https://github.com/example-org/config/commit/" + SHA,
            "ssh://git@github.com/example-org/config.git, https://github.com/example-org/config/commit/" + SHA,
            "https://bot:ghp_s3cr3tT0ken@github.com/example-org/config.git, https://github.com/example-org/config/commit/" + SHA,
            "https://gitlab.com/group/sub/config.git, https://gitlab.com/group/sub/config/-/commit/" + SHA,
            "ssh://git@gitlab.example.com:2222/group/config.git, https://gitlab.example.com/group/config/-/commit/" + SHA,
            "https://bitbucket.org/team/config.git, https://bitbucket.org/team/config/commits/" + SHA,
            "https://codeberg.org/team/config.git, https://codeberg.org/team/config/commit/" + SHA,
            "https://gitea.example.com/team/config, https://gitea.example.com/team/config/commit/" + SHA,
            "https://git.example.com/team/config.git, -",
            "http://127.0.0.1:8080/config.git, -",
            "/srv/git/config.git, -",
            "file:///srv/git/config.git, -"})
    void linksTheCommitOnAKnownHostWithoutTheUrlsCredentials(String repository, String expected) {
        assertThat(CommitLinks.of(repository, SHA)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "commit {0}")
    @CsvSource(nullValues = "-", value = {"-", "main", "HEAD~1", "4F1C2A9", "4f1c2a", "4f1c2a9be0d3c5f6a7b8c9d0e1f2a3b4c5d6e7f8/../x"})
    void anythingButAHexCommitIdGetsNoLink(String commit) {
        assertThat(CommitLinks.of("https://github.com/example-org/config.git", commit)).isNull();
    }
}
