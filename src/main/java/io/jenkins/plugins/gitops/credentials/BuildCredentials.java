package io.jenkins.plugins.gitops.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.util.Secret;
import hudson.util.StreamTaskListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import org.eclipse.jgit.transport.URIish;
import org.jenkinsci.plugins.credentialsbinding.masking.SecretPatterns;
import org.jenkinsci.plugins.gitclient.GitHostKeyVerificationConfiguration;
import org.jenkinsci.plugins.gitclient.verifier.AcceptFirstConnectionStrategy;
import org.jenkinsci.plugins.gitclient.verifier.ManuallyProvidedKeyVerificationStrategy;
import org.jenkinsci.plugins.gitclient.verifier.NoHostKeyVerificationStrategy;
import org.jenkinsci.plugins.gitclient.verifier.SshHostKeyVerificationStrategy;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves the Jenkins credentials one step needs, in the context of its build, into the engine's value types,
 * records their use on the build, and remembers every secret it handed out so that the step's log can mask them.
 * One instance per step run; never serialised (a resumed step resolves again).
 */
public final class BuildCredentials {

    private static final Set<String> KUBECONFIG_SECRET_KEYS = Set.of(
            "token", "password", "client-key-data", "id-token", "refresh-token", "access-token", "client-secret");

    private final Run<?, ?> run;
    private final Set<String> secrets = new LinkedHashSet<>();

    public BuildCredentials(@NonNull Run<?, ?> run) {
        this.run = run;
    }

    /**
     * Access to a git repository with a job credential: username/password (or token) for HTTPS, SSH private key for
     * SSH. Without a credentials ID the repository is accessed anonymously.
     */
    @NonNull
    public GitAccess git(@NonNull String url, @CheckForNull String credentialsId) throws AbortException {
        refuseSecretsIn(url);
        GitAccess.HostKeyMode mode = hostKeyMode();
        String approved = approvedHostKeys();
        if (credentialsId == null || credentialsId.isBlank()) {
            return new GitAccess(url, GitAccess.Kind.NONE, null, null, null, mode, approved);
        }
        StandardCredentials found = lookup(credentialsId, StandardCredentials.class, url);
        if (found instanceof SSHUserPrivateKey key) {
            List<String> keys = key.getPrivateKeys();
            if (keys.isEmpty()) {
                throw new AbortException(Messages.BuildCredentials_noPrivateKey(credentialsId));
            }
            String passphrase = Secret.toString(key.getPassphrase());
            // Masking works line by line: mask each line of the key body.
            keys.get(0).lines().map(String::strip).filter(line -> !line.startsWith("-----") && line.length() >= 16)
                    .forEach(this::remember);
            remember(passphrase);
            // Core logs in as the credential's user name when the URL names none.
            return new GitAccess(
                    url, GitAccess.Kind.SSH_PRIVATE_KEY, key.getUsername(), keys.get(0), passphrase, mode, approved);
        }
        if (found instanceof StandardUsernamePasswordCredentials login) {
            String password = login.getPassword().getPlainText();
            remember(password);
            if (login.isUsernameSecret()) {
                remember(login.getUsername());
            }
            return new GitAccess(
                    url, GitAccess.Kind.USERNAME_PASSWORD, login.getUsername(), password, null, mode, approved);
        }
        throw new AbortException(Messages.BuildCredentials_wrongGitType(credentialsId, found.getClass().getSimpleName()));
    }

    /**
     * The token of a pull request API: a secret text credential, or the password of a username/password one (a
     * personal access token stored with its user name).
     */
    @NonNull
    public String apiToken(@NonNull String credentialsId, @NonNull String url) throws AbortException {
        StandardCredentials found = lookup(credentialsId, StandardCredentials.class, url);
        String token;
        if (found instanceof StringCredentials text) {
            token = text.getSecret().getPlainText();
        } else if (found instanceof StandardUsernamePasswordCredentials login) {
            token = login.getPassword().getPlainText();
        } else {
            throw new AbortException(Messages.BuildCredentials_wrongTokenType(credentialsId, found.getClass().getSimpleName()));
        }
        remember(token);
        return token;
    }

    /**
     * The login to an image registry ({@code host[:port]} as written in the image): username with password, or secret
     * text (a token, sent with the user name {@value RegistryLogin#TOKEN_USERNAME}).
     */
    @NonNull
    public RegistryLogin registry(@NonNull String credentialsId, @NonNull String registry) throws AbortException {
        StandardCredentials found = lookup(credentialsId, StandardCredentials.class, "https://" + registry);
        if (found instanceof StringCredentials text) {
            String token = text.getSecret().getPlainText();
            remember(token);
            return new RegistryLogin(RegistryLogin.TOKEN_USERNAME, token);
        }
        if (found instanceof StandardUsernamePasswordCredentials login) {
            String password = login.getPassword().getPlainText();
            remember(password);
            if (login.isUsernameSecret()) {
                remember(login.getUsername());
            }
            return new RegistryLogin(login.getUsername(), password);
        }
        throw new AbortException(Messages.BuildCredentials_wrongRegistryType(credentialsId, found.getClass().getSimpleName()));
    }

    /** A job credential that is either secret text or username/password, for Argo CD given by URL. */
    @NonNull
    public StandardCredentials argoCdJobCredential(@NonNull String credentialsId, @NonNull String url) throws AbortException {
        StandardCredentials found = lookup(credentialsId, StandardCredentials.class, url);
        return rememberArgoCd(credentialsId, found);
    }

    /**
     * The credential of a server from the global configuration: resolved as the system, in the Jenkins context,
     * because the administrator chose it for every job that names the server.
     */
    @NonNull
    public StandardCredentials argoCdServerCredential(@NonNull String credentialsId, @NonNull String url) throws AbortException {
        StandardCredentials found = CredentialsProvider.findCredentialByIdInItemGroup(
                credentialsId, StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2,
                URIRequirementBuilder.fromUri(url).build());
        if (found == null) {
            throw new AbortException(Messages.BuildCredentials_notFound(credentialsId));
        }
        CredentialsProvider.track(run, found);
        return rememberArgoCd(credentialsId, found);
    }

    /** The content of a secret file credential holding a kubeconfig. */
    @NonNull
    public String kubeconfig(@NonNull String credentialsId) throws IOException {
        FileCredentials file = lookup(credentialsId, FileCredentials.class, null);
        try (InputStream in = file.getContent()) {
            String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // Mask the values of the secret-bearing keys (kubeconfig is YAML with one key per line).
            for (String line : content.split("\\R")) {
                int colon = line.indexOf(':');
                if (colon > 0 && KUBECONFIG_SECRET_KEYS.contains(line.substring(0, colon).trim().replace("- ", ""))) {
                    remember(line.substring(colon + 1).trim().replace("\"", ""));
                }
            }
            return content;
        }
    }

    /**
     * Credentials come from Jenkins, never from the URL, which is printed and kept in build.xml: an HTTP(S) or git URL
     * may carry no user information at all (a token alone is a secret), an SSH URL a login name but no password.
     * The message shows the URL without its user information.
     */
    static void refuseSecretsIn(String url) throws AbortException {
        URIish uri;
        try {
            uri = new URIish(url);
        } catch (URISyntaxException e) {
            // The exception repeats the input, which could hold a password: keep only the reason.
            throw new AbortException(Messages.BuildCredentials_badUrl(e.getReason()));
        }
        boolean ssh = uri.getScheme() == null ? uri.getHost() != null : uri.getScheme().startsWith("ssh")
                || uri.getScheme().endsWith("+ssh");
        if (uri.getPass() != null || (uri.getUser() != null && !ssh)) {
            throw new AbortException(Messages.BuildCredentials_userInfoInUrl(uri.setUser(null).setPass(null).toString()));
        }
    }

    /** Every secret handed out so far. */
    @NonNull
    public Collection<String> secrets() {
        return List.copyOf(secrets);
    }

    /**
     * A listener that writes to {@code listener} with every secret handed out so far masked as {@code ****}, the
     * same way {@code withCredentials} masks. It can be sent to an agent: the masking stays on the controller.
     * Print whole lines only (masking works line by line) and do not close it (that would close the build log).
     */
    @NonNull
    public TaskListener mask(@NonNull TaskListener listener) {
        // The build log's charset (TaskListener#getCharset is restricted to listener implementations).
        Charset charset = run.getCharset();
        List<String> snapshot = new ArrayList<>(secrets);
        return new StreamTaskListener(
                new SecretPatterns.MaskingOutputStream(
                        listener.getLogger(), () -> SecretPatterns.getAggregateSecretPattern(snapshot), charset.name()),
                charset);
    }

    private StandardCredentials rememberArgoCd(String credentialsId, StandardCredentials found) throws AbortException {
        if (found instanceof StringCredentials token) {
            remember(token.getSecret().getPlainText());
            return found;
        }
        if (found instanceof StandardUsernamePasswordCredentials login) {
            remember(login.getPassword().getPlainText());
            return found;
        }
        throw new AbortException(Messages.BuildCredentials_wrongArgoCdType(credentialsId, found.getClass().getSimpleName()));
    }

    /** Looks a job credential up as {@code findCredentialById} does (parameters expanded), and records its use. */
    @NonNull
    private <C extends StandardCredentials> C lookup(String credentialsId, Class<C> type, @CheckForNull String url)
            throws AbortException {
        C found = CredentialsProvider.findCredentialById(
                credentialsId, type, run, URIRequirementBuilder.fromUri(url).build());
        if (found == null) {
            throw new AbortException(Messages.BuildCredentials_notFoundOfType(credentialsId, type.getSimpleName()));
        }
        CredentialsProvider.track(run, found);
        return found;
    }

    private void remember(@CheckForNull String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    private static GitAccess.HostKeyMode hostKeyMode() {
        SshHostKeyVerificationStrategy<?> strategy =
                GitHostKeyVerificationConfiguration.get().getSshHostKeyVerificationStrategy();
        if (strategy instanceof NoHostKeyVerificationStrategy) {
            return GitAccess.HostKeyMode.OFF;
        }
        if (strategy instanceof AcceptFirstConnectionStrategy) {
            return GitAccess.HostKeyMode.ACCEPT_FIRST;
        }
        if (strategy instanceof ManuallyProvidedKeyVerificationStrategy) {
            return GitAccess.HostKeyMode.MANUAL;
        }
        return GitAccess.HostKeyMode.KNOWN_HOSTS_FILE;
    }

    private static String approvedHostKeys() {
        return GitHostKeyVerificationConfiguration.get().getSshHostKeyVerificationStrategy()
                        instanceof ManuallyProvidedKeyVerificationStrategy manual
                ? manual.getApprovedHostKeys()
                : "";
    }
}
