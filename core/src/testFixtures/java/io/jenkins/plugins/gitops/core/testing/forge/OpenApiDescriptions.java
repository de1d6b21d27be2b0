package io.jenkins.plugins.gitops.core.testing.forge;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The API descriptions the fakes validate against.
 *
 * <ul>
 *   <li>GitHub: its official OpenAPI description, {@code generated/api.github.com.json} of the npm package
 *       {@code @octokit/openapi}. It is 13 MB, so it is not in the repository: {@code .ci/fetch-openapi} puts it
 *       in the directory {@code -Dgitops.openapi.dir} names (default {@code .cache/openapi} in the checkout).
 *       Without it the GitHub fake runs unvalidated and the tests of the validation skip, saying why (in CI,
 *       {@code CI=true}, they fail instead).</li>
 *   <li>GitLab: GitLab publishes no OpenAPI description of its merge request API; {@link #gitLab()} pins what the
 *       REST API documentation ("Merge requests API") specifies for the calls the client makes.</li>
 *   <li>Gitea/Forgejo: their Swagger 2.0 file ships with the server, not in any package this build can fetch;
 *       {@link #gitea()} pins the definitions of the calls the client makes as the API documentation gives them
 *       (CreatePullRequestOption, EditPullRequestOption, IssueLabelsOption, PullRequest).</li>
 * </ul>
 */
public final class OpenApiDescriptions {

    /** The package and version the GitHub description comes from; {@code .ci/fetch-openapi} fetches this one. */
    public static final String GITHUB_PACKAGE = "@octokit/openapi@23.0.2";
    public static final String GITHUB_FILE = "api.github.com.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Optional<OpenApiContract> gitHub;

    private OpenApiDescriptions() {}

    public static Path directory() {
        String configured = System.getProperty("gitops.openapi.dir");
        return Path.of(configured != null ? configured : "../.cache/openapi").toAbsolutePath().normalize();
    }

    /** GitHub's description, loaded once; empty when it was not fetched (in CI an absent file fails). */
    public static Optional<OpenApiContract> gitHub() {
        Optional<OpenApiContract> loaded = gitHub;
        if (loaded == null) {
            synchronized (OpenApiDescriptions.class) {
                if (gitHub == null) {
                    Path file = directory().resolve(GITHUB_FILE);
                    if (!Files.exists(file) && "true".equalsIgnoreCase(System.getenv("CI"))) {
                        throw new IllegalStateException(file + " is absent, and CI=true: run .ci/fetch-openapi first, or the"
                                + " GitHub fake would silently stop validating");
                    }
                    gitHub = Files.exists(file) ? Optional.of(OpenApiContract.load("GitHub OpenAPI (" + GITHUB_PACKAGE + ")", file))
                            : Optional.empty();
                }
                loaded = gitHub;
            }
        }
        return loaded;
    }

    /** Why GitHub's description is missing, for a skipped test's message. */
    public static String gitHubMissing() {
        return "skipped: " + directory().resolve(GITHUB_FILE) + " is absent; run .ci/fetch-openapi (it takes "
                + GITHUB_PACKAGE + " from the npm registry) to validate against GitHub's OpenAPI description";
    }

    /** GitLab's merge request calls, pinned from its REST API documentation. */
    public static OpenApiContract gitLab() {
        return pinned("GitLab merge requests API (pinned from the documentation)", PinnedDescriptions.GITLAB);
    }

    /** Gitea's (and Forgejo's) pull request calls, pinned from its API documentation. */
    public static OpenApiContract gitea() {
        return pinned("Gitea pull requests API (pinned from the documentation)", PinnedDescriptions.GITEA);
    }

    private static OpenApiContract pinned(String name, String json) {
        try {
            return OpenApiContract.of(name, JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
