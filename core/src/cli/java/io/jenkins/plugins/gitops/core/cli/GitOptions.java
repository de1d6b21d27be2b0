package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.git.Backoff;
import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.CommitIdentity;
import io.jenkins.plugins.gitops.core.git.CommitMessageTemplate;
import io.jenkins.plugins.gitops.core.git.CommitSigning;
import io.jenkins.plugins.gitops.core.git.GitCredentials;
import io.jenkins.plugins.gitops.core.git.GitOperationException;
import io.jenkins.plugins.gitops.core.git.GitRemote;
import io.jenkins.plugins.gitops.core.git.HostKeyPolicy;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code gitops push} and {@code gitops update}: credentials, host keys, the commit and the
 * retry bound. Secrets come from files or environment variables, never from an option's value (which any user
 * on the machine can read from the process list), and are never printed.
 */
final class GitOptions {

    static final String ENV_USERNAME = "GITOPS_GIT_USERNAME";
    static final String ENV_PASSWORD = "GITOPS_GIT_PASSWORD";
    static final String ENV_SSH_KEY = "GITOPS_GIT_SSH_KEY";
    static final String ENV_SSH_PASSPHRASE = "GITOPS_GIT_SSH_PASSPHRASE";
    static final String ENV_KNOWN_HOSTS = "GITOPS_GIT_KNOWN_HOSTS";

    private final Environment environment;

    @Option(names = "--username", paramLabel = "USER",
            description = "HTTPS user name (default: $" + ENV_USERNAME + ", else 'git' when a password is given).")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the HTTPS password or access token (default: $" + ENV_PASSWORD + ").")
    Path passwordFile;

    @Option(names = "--ssh-key-file", paramLabel = "FILE",
            description = "SSH private key, OpenSSH or PEM (default: the key text in $" + ENV_SSH_KEY + ").")
    Path sshKeyFile;

    @Option(names = "--ssh-passphrase-file", paramLabel = "FILE",
            description = "File holding the SSH key's passphrase (default: $" + ENV_SSH_PASSPHRASE + ").")
    Path sshPassphraseFile;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file trusted for SSH (default: $" + ENV_KNOWN_HOSTS + " text, else ~/.ssh/known_hosts).")
    Path knownHostsFile;

    @Option(names = "--host-key-check", paramLabel = "MODE", defaultValue = "strict",
            description = "SSH host key verification: strict (default: the host must be in the known hosts),"
                    + " accept-new (trust a host seen for the first time), off (no check; warns).")
    String hostKeyCheck;

    @Option(names = "--push-branch", paramLabel = "BRANCH",
            description = "Push to this branch instead of the checked-out one; created from it when missing.")
    String pushBranch;

    @Option(names = "--message", paramLabel = "TEMPLATE",
            description = "Commit message template; variables $${image} $${oldTag} $${newTag} $${oldDigest} $${newDigest}"
                    + " $${oldVersion} $${newVersion} $${app} $${files} $${buildUrl}. A line whose variables are all empty is left out.")
    String message;

    @Option(names = "--build-url", paramLabel = "URL", converter = SecretInput.Url.class,
            description = "The CI build to name in the commit message (default: $BUILD_URL, else $CI_JOB_URL).")
    String buildUrl;

    @Option(names = "--app", paramLabel = "NAME", description = "The application name for $${app} in the commit message. update without --repo: the Argo CD"
                    + " Application to read the repository, branch and paths from (with --server or --kube).")
    String app;

    @Option(names = "--author-name", paramLabel = "NAME", description = "Commit author name (default: gitops-deploy).")
    String authorName;

    @Option(names = "--author-email", paramLabel = "EMAIL", description = "Commit author email.")
    String authorEmail;

    @Option(names = "--committer-name", paramLabel = "NAME", description = "Committer name (default: the author).")
    String committerName;

    @Option(names = "--committer-email", paramLabel = "EMAIL", description = "Committer email (default: the author's).")
    String committerEmail;

    @Option(names = "--sign-key-file", paramLabel = "FILE",
            description = "Sign the commit with this SSH private key (git's gpg.format=ssh).")
    Path signKeyFile;

    @Option(names = "--sign-passphrase-file", paramLabel = "FILE", description = "File holding the signing key's passphrase.")
    Path signPassphraseFile;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "10",
            description = "Push attempts before giving up when other pushes keep winning the race (default: 10).")
    int maxAttempts;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
            description = "Fail a network operation that stalls this long, e.g. 90s, 5m; a plain number is seconds"
                    + " (default: 120s). git allows the server ten times as long to report the result of a push,"
                    + " as it runs its hooks first.")
    Duration timeout;

    GitOptions(Environment environment) {
        this.environment = environment;
    }

    GitRemote remote(String url) {
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("--timeout: '" + timeout.toMillis() + "ms' is under the 1 second a network"
                    + " operation needs");
        }
        if (timeout.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("--timeout: '" + timeout.toMillis() + "ms' is not a whole number of seconds,"
                    + " the unit of git's network timeout");
        }
        return new GitRemote(url, credentials(url), hostKeyPolicy(), timeout);
    }

    private GitCredentials credentials(String url) {
        Optional<String> key = secret(sshKeyFile, "--ssh-key-file", ENV_SSH_KEY, false);
        if (key.isPresent()) {
            return GitCredentials.sshKey(key.get(), secret(sshPassphraseFile, "--ssh-passphrase-file", ENV_SSH_PASSPHRASE, true).orElse(null));
        }
        Optional<String> password = secret(passwordFile, "--password-file", ENV_PASSWORD, true);
        if (password.isPresent()) {
            String user = username != null ? username : environment.get(ENV_USERNAME).orElse("git");
            return GitCredentials.usernamePassword(user, password.get());
        }
        return GitCredentials.none();
    }

    private HostKeyPolicy hostKeyPolicy() {
        String mode = hostKeyCheck.toLowerCase(Locale.ROOT);
        if (mode.equals("off")) {
            return HostKeyPolicy.off();
        }
        String knownHosts = knownHosts();
        return switch (mode) {
            case "strict" -> HostKeyPolicy.knownHosts(knownHosts);
            case "accept-new" -> new HostKeyPolicy.AcceptNew(knownHosts);
            default -> throw new IllegalArgumentException(
                    "--host-key-check: '" + hostKeyCheck + "' is not a mode; use strict, accept-new or off");
        };
    }

    private String knownHosts() {
        if (knownHostsFile != null) {
            return read(knownHostsFile, "--known-hosts", false);
        }
        Optional<String> fromEnvironment = environment.get(ENV_KNOWN_HOSTS);
        if (fromEnvironment.isPresent()) {
            return fromEnvironment.get();
        }
        Path home = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        return Files.isReadable(home) ? read(home, "~/.ssh/known_hosts", false) : "";
    }

    UpdateLoop.Settings settings() {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("--max-attempts: " + maxAttempts + " is less than 1");
        }
        CommitIdentity author = new CommitIdentity(
                authorName != null ? authorName : CommitIdentity.DEFAULT.name(),
                authorEmail != null ? authorEmail : CommitIdentity.DEFAULT.email());
        CommitIdentity committer = new CommitIdentity(
                committerName != null ? committerName : author.name(),
                committerEmail != null ? committerEmail : author.email());
        Optional<CommitSigning> signing = Optional.ofNullable(signKeyFile).map(file -> {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("--sign-key-file: cannot read " + file);
            }
            return new CommitSigning(file, secret(signPassphraseFile, "--sign-passphrase-file", null, true));
        });
        Optional<String> build = Optional.ofNullable(buildUrl)
                .or(() -> environment.get("BUILD_URL"))
                .or(() -> environment.get("CI_JOB_URL"));
        return new UpdateLoop.Settings(
                maxAttempts, Backoff.defaults(),
                message != null ? new CommitMessageTemplate(message.replace("\\n", "\n")) : CommitMessageTemplate.DEFAULT,
                author, committer, signing, build);
    }

    Optional<String> pushBranch() {
        return Optional.ofNullable(pushBranch).map(name -> branch("--push-branch", name));
    }

    /** A branch option's value as a short branch name ({@code refs/heads/x} is {@code x}), or a refusal naming it. */
    static String branch(String option, String name) {
        try {
            return CloneOptions.branchName(name);
        } catch (GitOperationException e) {
            throw new IllegalArgumentException(option + ": '" + name + "' is not a valid branch name");
        }
    }

    Optional<String> app() {
        return Optional.ofNullable(app);
    }

    /** A secret from its file option, else from its environment variable; registered for redaction, never echoed. */
    private Optional<String> secret(Path file, String option, String variable, boolean strip) {
        if (file != null) {
            return Optional.of(SecretInput.registered(read(file, option, strip)));
        }
        return Optional.ofNullable(variable).flatMap(environment::get).map(v -> strip ? v.strip() : v).filter(v -> !v.isEmpty())
                .map(SecretInput::registered);
    }

    private static String read(Path file, String option, boolean strip) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return strip ? text.strip() : text;
        } catch (IOException e) {
            // the exception's message is the path only: safe to show
            throw new IllegalArgumentException(option + ": cannot read " + file);
        }
    }
}
