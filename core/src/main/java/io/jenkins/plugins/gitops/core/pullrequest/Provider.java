package io.jenkins.plugins.gitops.core.pullrequest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** A git hosting service whose pull (merge) requests the engine can open. */
public enum Provider {
    GITHUB("GitHub", "pull request"),
    GITLAB("GitLab", "merge request"),
    /** Gitea and Forgejo, which share one API. */
    GITEA("Gitea", "pull request");

    private final String displayName;
    private final String requestNoun;

    Provider(String displayName, String requestNoun) {
        this.displayName = displayName;
        this.requestNoun = requestNoun;
    }

    public String displayName() {
        return displayName;
    }

    /** What the service calls a pull request. */
    public String requestNoun() {
        return requestNoun;
    }

    /**
     * The provider named {@code github}, {@code gitlab}, {@code gitea} or {@code forgejo} (any case).
     *
     * @throws PullRequestException BAD_INPUT naming the known providers
     */
    public static Provider named(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (key.equals("forgejo")) {
            return GITEA;
        }
        return Arrays.stream(values()).filter(p -> p.name().toLowerCase(Locale.ROOT).equals(key)).findFirst()
                .orElseThrow(() -> new PullRequestException(PullRequestException.Kind.BAD_INPUT,
                        "Unknown pull request provider '" + name + "'; known: "
                                + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                                + ", forgejo."));
    }

    /**
     * The provider a host name tells: the public services by name, and self-hosted ones whose name says what they run
     * ({@code github.example.com}, {@code gitlab.example.com}, {@code gitea.example.com}, {@code forgejo...}).
     */
    public static Optional<Provider> ofHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("github.com") || name.equals("www.github.com")) {
            return Optional.of(GITHUB);
        }
        if (name.equals("codeberg.org") || name.contains("gitea") || name.contains("forgejo")) {
            return Optional.of(GITEA);
        }
        if (name.contains("gitlab")) {
            return Optional.of(GITLAB);
        }
        if (name.contains("github")) {
            return Optional.of(GITHUB);
        }
        return Optional.empty();
    }
}
