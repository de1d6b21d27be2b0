package io.jenkins.plugins.gitops.core.pullrequest;

import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitHub;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitLab;
import io.jenkins.plugins.gitops.core.testing.forge.FakeGitea;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Optional;

/** The three fakes, for tests that run against each provider. */
enum Forges {
    GITHUB(Provider.GITHUB),
    GITLAB(Provider.GITLAB),
    GITEA(Provider.GITEA);

    static final String PROJECT = "example-org/config";

    final Provider provider;

    Forges(Provider provider) {
        this.provider = provider;
    }

    FakeForge start() throws IOException {
        return switch (this) {
            case GITHUB -> FakeGitHub.start(PROJECT);
            case GITLAB -> FakeGitLab.start(PROJECT);
            case GITEA -> FakeGitea.start(PROJECT);
        };
    }

    PullRequestApi connect(FakeForge fake, String token, PullRequestApi.Settings settings) {
        ForgeRepository repository = ForgeRepository.locate("https://git.example.test/" + PROJECT + ".git", Optional.of(provider),
                Optional.of(URI.create(fake.apiUrl())), Optional.empty());
        return PullRequestApi.connect(repository, token, HttpClient.newHttpClient(), settings);
    }

    PullRequestApi connect(FakeForge fake) {
        return connect(fake, FakeForge.TOKEN, PullRequestApi.Settings.defaults());
    }
}
