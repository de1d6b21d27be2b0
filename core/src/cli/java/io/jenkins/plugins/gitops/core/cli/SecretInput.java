package io.jenkins.plugins.gitops.core.cli;

import io.jenkins.plugins.gitops.core.redaction.Redaction;
import java.util.List;
import picocli.CommandLine.ITypeConverter;

/**
 * Where the command line's secrets enter the process, each registered with {@link Redaction} as it is read, so that no
 * output can carry it: the environment variables (at start-up, whether a command uses them or not), the values of
 * secret options and the user info of URL options (as picocli converts them, before any message can quote them), and
 * the content of secret files (by their readers, through {@link #registered}).
 */
final class SecretInput {

    /** Environment variables that hold secrets. */
    static final List<String> VARIABLES = List.of(GitOptions.ENV_PASSWORD, GitOptions.ENV_SSH_PASSPHRASE,
            SyncCommand.TOKEN_VARIABLE, SyncCommand.ARGOCD_TOKEN_VARIABLE, SyncCommand.PASSWORD_VARIABLE,
            PullRequestOptions.ENV_TOKEN);
    /** Environment variables that hold a URL, whose user info may be a secret. */
    static final List<String> URL_VARIABLES = List.of(SyncCommand.ARGOCD_SERVER_VARIABLE, "BUILD_URL", "CI_JOB_URL");

    private SecretInput() {}

    static void registerEnvironment(Environment environment) {
        for (String variable : VARIABLES) {
            environment.get(variable).ifPresent(SecretInput::registered);
        }
        for (String variable : URL_VARIABLES) {
            environment.get(variable).ifPresent(url -> Redaction.registerUserInfo(SecretInput.class, url));
        }
    }

    /** {@code secret}, registered; for the readers of secret files and variables. */
    static String registered(String secret) {
        Redaction.register(SecretInput.class, secret);
        return secret;
    }

    /** The converter of an option whose value is a secret ({@code --token}, {@code --password}). */
    static final class Value implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return registered(value);
        }
    }

    /** The converter of a URL option, whose user info may be a password or a token. */
    static final class Url implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            Redaction.registerUserInfo(SecretInput.class, value);
            return value;
        }
    }
}
