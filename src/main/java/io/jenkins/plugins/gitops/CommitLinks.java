package io.jenkins.plugins.gitops;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Links a pushed commit to its page when the repository is on a host whose URL scheme is known. */
final class CommitLinks {

    /** {@code https://host/owner/repo(.git)}, {@code ssh://git@host/owner/repo.git} or {@code git@host:owner/repo.git}. */
    private static final Pattern REPOSITORY = Pattern.compile(
            "^(?:(?:https?|ssh)://(?:[^@/]+@)?|[^@/]+@)([^/:]+)(?::\\d+)?[/:](.+?)(?:\\.git)?/?$");

    private CommitLinks() {}

    /** The commit's web page, or null for an unknown host or a local path. */
    @CheckForNull
    static String of(@CheckForNull String repositoryUrl, @CheckForNull String commit) {
        if (repositoryUrl == null || commit == null || !commit.matches("[0-9a-f]{7,64}")) {
            return null;
        }
        Matcher m = REPOSITORY.matcher(repositoryUrl.trim());
        if (!m.matches()) {
            return null;
        }
        String host = m.group(1);
        String path = m.group(2);
        if (host.equals("github.com")) {
            return "https://github.com/" + path + "/commit/" + commit;
        }
        if (host.equals("gitlab.com") || host.startsWith("gitlab.")) {
            return "https://" + host + "/" + path + "/-/commit/" + commit;
        }
        if (host.equals("bitbucket.org")) {
            return "https://bitbucket.org/" + path + "/commits/" + commit;
        }
        if (host.equals("codeberg.org") || host.startsWith("gitea.")) {
            return "https://" + host + "/" + path + "/commit/" + commit;
        }
        return null;
    }
}
