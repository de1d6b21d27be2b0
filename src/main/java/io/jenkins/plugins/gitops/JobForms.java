package io.jenkins.plugins.gitops;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import io.jenkins.plugins.gitops.core.argocd.HealthStatusCode;
import io.jenkins.plugins.gitops.core.image.ImageReference;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import io.jenkins.plugins.gitops.core.strategy.TagFilter;
import io.jenkins.plugins.gitops.core.strategy.UpdateStrategy;
import io.jenkins.plugins.gitops.core.strategy.VersionConstraint;
import java.util.List;
import java.util.Locale;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * Form helpers the step and build step descriptors share (credential drop-downs and their checks), following the
 * credentials plugin's consumer guide: a user who cannot configure the job sees only the current value.
 */
final class JobForms {

    private JobForms() {}

    /** Git credentials: username/password (HTTPS) or SSH private key. */
    static final CredentialsMatcher GIT = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
            CredentialsMatchers.instanceOf(SSHUserPrivateKey.class));

    /** Argo CD credentials: secret text (API token) or username/password (local user). */
    static final CredentialsMatcher ARGO_CD = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(StringCredentials.class),
            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class));

    /** A pull request API token: secret text, or username/password with the token as password. */
    static final CredentialsMatcher TOKEN = ARGO_CD;

    /** An image registry login: username/password, or secret text (a token). */
    static final CredentialsMatcher REGISTRY = ARGO_CD;

    /** A kubeconfig: secret file. */
    static final CredentialsMatcher KUBECONFIG = CredentialsMatchers.instanceOf(FileCredentials.class);

    static ListBoxModel credentials(
            @CheckForNull Item item, @CheckForNull String url, @CheckForNull String current, CredentialsMatcher matcher) {
        StandardListBoxModel result = new StandardListBoxModel();
        String value = Util.fixNull(current);
        if (!canSeeCredentials(item)) {
            return result.includeCurrentValue(value);
        }
        result.includeEmptyValue()
                .includeMatchingAs(
                        authentication(item), item, StandardCredentials.class,
                        URIRequirementBuilder.fromUri(url).build(), matcher)
                .includeCurrentValue(value);
        return result;
    }

    static FormValidation checkCredentials(
            @CheckForNull Item item, @CheckForNull String url, @CheckForNull String value, CredentialsMatcher matcher) {
        if (!canSeeCredentials(item) || Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        if (value.startsWith("${") && value.endsWith("}")) {
            return FormValidation.warning(Messages.JobForms_credentialsExpression());
        }
        boolean found = !CredentialsProvider.listCredentialsInItem(
                        StandardCredentials.class, item, authentication(item),
                        URIRequirementBuilder.fromUri(url).build(),
                        CredentialsMatchers.allOf(matcher, CredentialsMatchers.withId(value)))
                .isEmpty();
        return found ? FormValidation.ok() : FormValidation.error(Messages.JobForms_credentialsNotFound(value));
    }

    /** The names of the configured Argo CD servers (names are not secret, but only job configurers need them). */
    static ListBoxModel servers(@CheckForNull Item item) {
        ListBoxModel result = new ListBoxModel();
        result.add(Messages.JobForms_noServer(), "");
        if (item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE)) {
            for (ArgoCdServer server : GitopsGlobalConfiguration.get().getArgoCdServers()) {
                result.add(server.getName() + " (" + server.getUrl() + ")", server.getName());
            }
        }
        return result;
    }

    static ListBoxModel syncModes() {
        ListBoxModel modes = new ListBoxModel();
        modes.add(Messages.JobForms_syncModeAuto(), "auto");
        modes.add(Messages.JobForms_syncModeAlways(), "always");
        modes.add(Messages.JobForms_syncModeNever(), "never");
        return modes;
    }

    static FormValidation checkTimeout(@CheckForNull String value) {
        String v = Util.fixEmptyAndTrim(value);
        if (v == null) {
            return FormValidation.ok();
        }
        try {
            return Integer.parseInt(v) >= 0 ? FormValidation.ok() : FormValidation.error(Messages.JobForms_timeout());
        } catch (NumberFormatException e) {
            return FormValidation.error(Messages.JobForms_timeout());
        }
    }

    static FormValidation checkHealth(@CheckForNull String value) {
        for (String item : SyncSettings.split(value)) {
            boolean known = false;
            for (HealthStatusCode code : HealthStatusCode.values()) {
                known |= code.name().equalsIgnoreCase(item);
            }
            if (!known) {
                return FormValidation.error(Messages.SyncSettings_badHealth(item));
            }
        }
        return FormValidation.ok();
    }

    static FormValidation checkImage(@CheckForNull String value) {
        String v = Util.fixEmptyAndTrim(value);
        if (v == null) {
            return FormValidation.error(Messages.CheckoutOperations_imageRequired());
        }
        try {
            ImageReference.parse(v);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation checkTag(@CheckForNull String value) {
        String v = Util.fixEmptyAndTrim(value);
        if (v == null || v.contains("$")) {
            return FormValidation.ok(); // empty, or a build variable expanded at run time
        }
        try {
            ImageReference.checkTag(v);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation checkDigest(@CheckForNull String value) {
        String v = Util.fixEmptyAndTrim(value);
        if (v == null || v.contains("$")) {
            return FormValidation.ok();
        }
        try {
            ImageReference.checkDigest(v);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation checkDir(@CheckForNull String value) {
        String v = Util.fixEmptyAndTrim(value);
        if (v == null) {
            return FormValidation.ok();
        }
        String d = v.replace('\\', '/');
        return d.startsWith("/") || d.matches("^[A-Za-z]:.*") || ("/" + d + "/").contains("/../")
                ? FormValidation.error(Messages.CheckoutOperations_dirOutside(v))
                : FormValidation.ok();
    }

    static FormValidation checkAttempts(@CheckForNull String value) {
        try {
            return Integer.parseInt(Util.fixNull(value).trim()) >= 1
                    ? FormValidation.ok()
                    : FormValidation.error(Messages.CheckoutOperations_attempts(value));
        } catch (NumberFormatException e) {
            return FormValidation.error(Messages.CheckoutOperations_attempts(value));
        }
    }

    static ListBoxModel writeBacks() {
        ListBoxModel modes = new ListBoxModel();
        modes.add(Messages.JobForms_writeBackGit(), "git");
        modes.add(Messages.JobForms_writeBackArgoCd(), "argocd");
        return modes;
    }

    /** The update strategies, after "none" (the tag given); the values are the step's spellings. */
    static ListBoxModel strategies() {
        ListBoxModel strategies = new ListBoxModel();
        strategies.add(Messages.JobForms_noStrategy(), "");
        for (UpdateStrategy strategy : UpdateStrategy.values()) {
            strategies.add(strategy.toString());
        }
        return strategies;
    }

    static FormValidation checkConstraint(@CheckForNull String value) {
        String v = Util.fixEmptyAndTrim(value);
        if (v == null || v.contains("$")) {
            return FormValidation.ok();
        }
        try {
            VersionConstraint.parse(v);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation checkAllowTags(@CheckForNull String value) {
        String v = Util.fixEmptyAndTrim(value);
        if (v == null || v.contains("${")) {
            return FormValidation.ok();
        }
        try {
            TagFilter.of(v, List.of());
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static ListBoxModel kinds() {
        ListBoxModel kinds = new ListBoxModel();
        for (TargetKind kind : TargetKind.values()) {
            kinds.add(kind.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return kinds;
    }

    static FormValidation required(@CheckForNull String value, String message) {
        return Util.fixEmptyAndTrim(value) == null ? FormValidation.error(message) : FormValidation.ok();
    }

    private static boolean canSeeCredentials(@CheckForNull Item item) {
        return item == null
                ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /** Credentials are used as the job runs: list them as the job's authentication would see them. */
    private static Authentication authentication(@CheckForNull Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }
}
