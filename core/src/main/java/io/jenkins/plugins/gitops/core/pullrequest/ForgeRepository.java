package io.jenkins.plugins.gitops.core.pullrequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a config repository lives on its hosting service, for the pull request API.
 *
 * @param provider the service's kind
 * @param apiBase  the API's root: {@code https://api.github.com}, {@code https://HOST/api/v3} (GitHub Enterprise),
 *                 {@code https://HOST/api/v4} (GitLab), {@code https://HOST/api/v1} (Gitea, Forgejo)
 * @param project  {@code owner/name}; for GitLab the full path, subgroups included
 */
public record ForgeRepository(Provider provider, URI apiBase, String project) {

    /** {@code user@host:path}, git's scp-like syntax. */
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/\\s]+@)?([^:/\\s]+):(?!//)(.+)$");

    public ForgeRepository {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(apiBase, "apiBase");
        Objects.requireNonNull(project, "project");
        if (apiBase.getUserInfo() != null) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                    "The API URL must not hold credentials; pass the token on its own.");
        }
        String trimmed = apiBase.toString().replaceAll("/+$", "");
        apiBase = URI.create(trimmed);
        List<String> segments = Arrays.stream(project.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.size() < 2 || (provider != Provider.GITLAB && segments.size() != 2)) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT, "'" + project + "' is not a "
                    + provider.displayName() + " repository path: expected "
                    + (provider == Provider.GITLAB ? "group[/subgroup...]/project" : "owner/name") + ".");
        }
        project = String.join("/", segments);
    }

    /**
     * Locates the repository of a clone URL ({@code https://host/owner/name.git}, {@code ssh://git@host/owner/name},
     * {@code git@host:owner/name.git}).
     *
     * @param provider the service's kind; when empty, told by the host name ({@link Provider#ofHost})
     * @param apiUrl   the API's root; when empty, the provider's usual one on the repository's host
     * @param project  the repository's path on the service; when empty, the URL's path
     * @throws PullRequestException BAD_INPUT when the provider cannot be told or the URL has no repository path
     */
    public static ForgeRepository locate(String repositoryUrl, Optional<Provider> provider, Optional<URI> apiUrl, Optional<String> project) {
        Location location = parse(repositoryUrl, apiUrl.isPresent() || project.isPresent());
        Provider kind = provider.or(() -> Optional.ofNullable(location.host()).flatMap(Provider::ofHost))
                .or(() -> apiUrl.map(URI::getHost).flatMap(Provider::ofHost))
                .orElseThrow(() -> new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                        "Cannot tell which service hosts " + location.host() + "; name the provider (github, gitlab, gitea or forgejo)."));
        URI api = apiUrl.orElseGet(() -> defaultApi(kind, location));
        String path = project.orElseGet(() -> projectPath(kind, location.path(), api));
        return new ForgeRepository(kind, api, path);
    }

    private record Location(String scheme, String host, int port, String path) {}

    private static Location parse(String url, boolean lenient) {
        String text = url.strip();
        Matcher scp = SCP_LIKE.matcher(text);
        if (!text.contains("://") && scp.matches()) {
            return new Location("https", scp.group(1), -1, scp.group(2));
        }
        try {
            URI uri = new URI(text);
            if (uri.getHost() != null) {
                String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
                boolean web = scheme.equals("http") || scheme.equals("https");
                return new Location(web ? scheme : "https", uri.getHost(), web ? uri.getPort() : -1, uri.getPath());
            }
        } catch (URISyntaxException e) {
            // not a URL: a local path, handled below
        }
        if (lenient) {
            return new Location("https", null, -1, text);
        }
        throw new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                "Cannot tell the hosting service of '" + url + "': give the repository's URL on the service, or the API URL and the repository path.");
    }

    private static URI defaultApi(Provider provider, Location location) {
        if (location.host() == null) {
            throw new PullRequestException(PullRequestException.Kind.BAD_INPUT, "The repository is not on a server; give the API URL.");
        }
        String origin = location.scheme() + "://" + location.host() + (location.port() > 0 ? ":" + location.port() : "");
        return URI.create(switch (provider) {
            case GITHUB -> location.host().equalsIgnoreCase("github.com") || location.host().equalsIgnoreCase("www.github.com")
                    ? "https://api.github.com" : origin + "/api/v3";
            case GITLAB -> origin + "/api/v4";
            case GITEA -> origin + "/api/v1";
        });
    }

    /** The URL's path without {@code .git}; GitLab behind a path prefix ({@code https://host/gitlab/...}) loses the prefix. */
    private static String projectPath(Provider provider, String path, URI api) {
        String trimmed = path.replaceAll("^/+|/+$", "").replaceAll("\\.git$", "");
        List<String> segments = Arrays.stream(trimmed.split("/")).filter(s -> !s.isEmpty()).toList();
        if (provider != Provider.GITLAB) {
            return segments.size() >= 2 ? segments.get(segments.size() - 2) + "/" + segments.get(segments.size() - 1) : trimmed;
        }
        String prefix = Optional.ofNullable(api.getPath()).orElse("").replaceAll("/api/v4/?$", "").replaceAll("^/+|/+$", "");
        return !prefix.isEmpty() && trimmed.startsWith(prefix + "/") ? trimmed.substring(prefix.length() + 1) : trimmed;
    }
}
