package io.jenkins.plugins.gitops.core.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForgeRepositoryTest {

    @ParameterizedTest
    @CsvSource({
        "https://github.com/example-org/config.git, GITHUB, https://api.github.com, example-org/config",
        "git@github.com:example-org/config.git, GITHUB, https://api.github.com, example-org/config",
        "https://github.example.com/org/config, GITHUB, https://github.example.com/api/v3, org/config",
        "ssh://git@gitlab.com/group/sub/config.git, GITLAB, https://gitlab.com/api/v4, group/sub/config",
        "https://gitlab.example.com:8443/group/config.git, GITLAB, https://gitlab.example.com:8443/api/v4, group/config",
        "https://codeberg.org/org/config.git, GITEA, https://codeberg.org/api/v1, org/config",
        "git@forgejo.example.com:org/config.git, GITEA, https://forgejo.example.com/api/v1, org/config",
    })
    void infersTheProviderAndItsApiFromTheRepositoryUrl(String url, Provider provider, String api, String project) {
        ForgeRepository repository = ForgeRepository.locate(url, Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(repository).isEqualTo(new ForgeRepository(provider, URI.create(api), project));
    }

    @ParameterizedTest
    @CsvSource({
        "https://git.example.com/org/config.git, gitea, https://git.example.com/api/v1",
        "https://git.example.com/org/config.git, forgejo, https://git.example.com/api/v1",
        "https://git.example.com/org/config.git, github, https://git.example.com/api/v3",
    })
    void aNamedProviderServesHostsWhoseNameTellsNothing(String url, String provider, String api) {
        assertThat(ForgeRepository.locate(url, Optional.of(Provider.named(provider)), Optional.empty(), Optional.empty()).apiBase())
                .isEqualTo(URI.create(api));
    }

    @ParameterizedTest
    @CsvSource({"https://git.example.com/org/config.git", "/srv/git/config.git"})
    void anUnknownHostWithoutAProviderIsABadInputNamingTheChoices(String url) {
        assertThatThrownBy(() -> ForgeRepository.locate(url, Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOfSatisfying(PullRequestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PullRequestException.Kind.BAD_INPUT);
                    assertThat(e.getMessage()).containsAnyOf("name the provider", "give the repository's URL");
                });
    }

    @ParameterizedTest
    @CsvSource({"https://ci-bot:s3cr3t-token@gitlab.example.com/group/config.git"})
    void credentialsInTheRepositoryUrlNeverReachTheApiUrl(String url) {
        ForgeRepository repository = ForgeRepository.locate(url, Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(repository.apiBase().toString()).isEqualTo("https://gitlab.example.com/api/v4").doesNotContain("s3cr3t");
    }
}
