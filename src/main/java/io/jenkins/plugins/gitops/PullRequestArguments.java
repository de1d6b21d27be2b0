package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gitops.core.pullrequest.ForgeRepository;
import io.jenkins.plugins.gitops.core.pullrequest.Provider;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestApi;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestFlow;
import io.jenkins.plugins.gitops.core.pullrequest.PullRequestTemplate;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;

/**
 * What {@code gitopsPush pullRequest: true} needs on the agent that holds the checkout, resolved on the controller:
 * it lives only as long as the step, like {@link io.jenkins.plugins.gitops.credentials.GitAccess}, and its
 * {@link #toString()} leaves the token out.
 *
 * @param provider   {@code github}, {@code gitlab}, {@code gitea} or {@code forgejo}; null: told by the host
 * @param apiUrl     the API root; null: the provider's usual one
 * @param token      the API token (secret text, or the password of a username/password credential)
 * @param branch     the head branch template; null: {@link PullRequestTemplate#DEFAULT_BRANCH}
 * @param title      the title template; null: the default
 * @param body       the body template; null: the default
 * @param labels     labels to add
 * @param draft      open it as a draft
 */
record PullRequestArguments(
        @CheckForNull String provider,
        @CheckForNull String apiUrl,
        String token,
        @CheckForNull String branch,
        @CheckForNull String title,
        @CheckForNull String body,
        ArrayList<String> labels,
        boolean draft)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The client, built where it runs; the token is registered for redaction by it. */
    PullRequestApi connect(String repositoryUrl) {
        ForgeRepository repository = ForgeRepository.locate(repositoryUrl, Optional.ofNullable(provider).map(Provider::named),
                Optional.ofNullable(apiUrl).map(URI::create), Optional.empty());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        return PullRequestApi.connect(repository, token, http, PullRequestApi.Settings.defaults());
    }

    PullRequestTemplate branchTemplate() {
        return branch == null ? PullRequestTemplate.DEFAULT_BRANCH : new PullRequestTemplate(branch);
    }

    PullRequestFlow.Settings settings(Optional<String> buildUrl) {
        return new PullRequestFlow.Settings(
                title == null ? PullRequestTemplate.DEFAULT_TITLE : new PullRequestTemplate(title),
                body == null ? PullRequestTemplate.DEFAULT_BODY : new PullRequestTemplate(body),
                labels, draft, buildUrl);
    }

    @Override
    public String toString() {
        return "PullRequestArguments[provider=" + provider + ", apiUrl=" + apiUrl + ", branch=" + branch + ", labels=" + labels
                + ", draft=" + draft + "]";
    }
}
