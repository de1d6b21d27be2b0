package io.jenkins.plugins.gitops.config;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitops.credentials.ArgoCdConnections;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Objects;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One Argo CD API server that jobs may sync applications on, by name ({@code gitopsSync server: 'prod'}).
 * Its credentials are an API token (secret text) or an Argo CD local user (username and password).
 */
public final class ArgoCdServer implements Describable<ArgoCdServer> {

    /** Used when a server sets no timeout of its own, and by {@code gitopsSync} without a server. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;

    private final String name;
    private final String url;
    private String credentialsId;
    private String caCertificate;
    private boolean skipTlsVerify;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    @DataBoundConstructor
    public ArgoCdServer(String name, String url) {
        this.name = Util.fixEmptyAndTrim(name);
        this.url = Util.fixEmptyAndTrim(url);
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** PEM certificate(s) to trust for this server in addition to nothing else; null for the JVM's trust store. */
    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
    }

    public boolean isSkipTlsVerify() {
        return skipTlsVerify;
    }

    @DataBoundSetter
    public void setSkipTlsVerify(boolean skipTlsVerify) {
        this.skipTlsVerify = skipTlsVerify;
    }

    public int getTimeoutSeconds() {
        // 0 when read from an XML file written without the field
        return timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
    }

    /** Link to an application in this server's web UI. */
    public String applicationUrl(@CheckForNull String appNamespace, String app) {
        return applicationUrl(url, appNamespace, app);
    }

    /** Link to an application in the web UI of the Argo CD server at {@code serverUrl}. */
    public static String applicationUrl(String serverUrl, @CheckForNull String appNamespace, String app) {
        String base = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        return appNamespace == null ? base + "/applications/" + app : base + "/applications/" + appNamespace + "/" + app;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArgoCdServer other
                && skipTlsVerify == other.skipTlsVerify
                && getTimeoutSeconds() == other.getTimeoutSeconds()
                && Objects.equals(name, other.name)
                && Objects.equals(url, other.url)
                && Objects.equals(credentialsId, other.credentialsId)
                && Objects.equals(caCertificate, other.caCertificate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, url);
    }

    @Override
    public String toString() {
        return "Argo CD server " + name + " (" + url + ")";
    }

    /** Matches the credential kinds an Argo CD server accepts. */
    static CredentialsMatcher argoCdCredentials() {
        return CredentialsMatchers.anyOf(
                CredentialsMatchers.instanceOf(StringCredentials.class),
                CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class));
    }

    /** Null when {@code url} is an http(s) URL without user info; otherwise what is wrong with it (never the URL). */
    @CheckForNull
    public static String urlProblem(@CheckForNull String url) {
        if (url == null || url.isBlank()) {
            return Messages.ArgoCdServer_urlRequired();
        }
        try {
            URI uri = new URI(url.trim());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                return Messages.ArgoCdServer_urlScheme();
            }
            if (uri.getHost() == null) {
                return Messages.ArgoCdServer_urlHost();
            }
            if (uri.getUserInfo() != null) {
                return Messages.ArgoCdServer_urlUserInfo();
            }
            return null;
        } catch (URISyntaxException e) {
            return Messages.ArgoCdServer_urlInvalid(e.getReason());
        }
    }

    /** Null when {@code pem} holds at least one X.509 certificate; otherwise the parser's complaint. */
    @CheckForNull
    static String caCertificateProblem(@CheckForNull String pem) {
        if (pem == null || pem.isBlank()) {
            return null;
        }
        try {
            var certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.trim().getBytes(StandardCharsets.US_ASCII)));
            return certificates.isEmpty() ? Messages.ArgoCdServer_caCertificateEmpty() : null;
        } catch (CertificateException e) {
            return Messages.ArgoCdServer_caCertificateInvalid(e.getMessage());
        }
    }

    @Extension
    @Symbol("argoCdServer")
    public static final class DescriptorImpl extends Descriptor<ArgoCdServer> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ArgoCdServer_displayName();
        }

        public int getDefaultTimeoutSeconds() {
            return DEFAULT_TIMEOUT_SECONDS;
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            return Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.ArgoCdServer_nameRequired())
                    : FormValidation.ok();
        }

        public FormValidation doCheckUrl(@QueryParameter String value) {
            String problem = urlProblem(value);
            if (problem != null) {
                return FormValidation.error(problem);
            }
            return value.trim().startsWith("http:")
                    ? FormValidation.warning(Messages.ArgoCdServer_urlPlainHttp())
                    : FormValidation.ok();
        }

        public FormValidation doCheckCaCertificate(@QueryParameter String value) {
            String problem = caCertificateProblem(value);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        public FormValidation doCheckTimeoutSeconds(@QueryParameter String value) {
            try {
                return Integer.parseInt(value.trim()) > 0
                        ? FormValidation.ok()
                        : FormValidation.error(Messages.ArgoCdServer_timeoutPositive());
            } catch (NumberFormatException e) {
                return FormValidation.error(Messages.ArgoCdServer_timeoutPositive());
            }
        }

        public FormValidation doCheckSkipTlsVerify(@QueryParameter boolean value) {
            return value ? FormValidation.warning(Messages.ArgoCdServer_skipTlsVerifyWarning()) : FormValidation.ok();
        }

        /** Lists token and username/password credentials; only administrators see more than the current value. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String url, @QueryParameter String credentialsId) {
            StandardListBoxModel result = new StandardListBoxModel();
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return result.includeCurrentValue(credentialsId);
            }
            result.includeEmptyValue()
                    .includeMatchingAs(
                            ACL.SYSTEM2,
                            Jenkins.get(),
                            StandardCredentials.class,
                            URIRequirementBuilder.fromUri(url).build(),
                            argoCdCredentials())
                    .includeCurrentValue(credentialsId);
            return result;
        }

        /** Tells whether a credential exists: POST only, like the drop-down that lists them. */
        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String url, @QueryParameter String value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.warning(Messages.ArgoCdServer_credentialsNone());
            }
            boolean found = !CredentialsProvider.listCredentialsInItemGroup(
                            StandardCredentials.class,
                            Jenkins.get(),
                            ACL.SYSTEM2,
                            URIRequirementBuilder.fromUri(url).build(),
                            CredentialsMatchers.allOf(argoCdCredentials(), CredentialsMatchers.withId(value)))
                    .isEmpty();
            return found ? FormValidation.ok() : FormValidation.error(Messages.ArgoCdServer_credentialsNotFound(value));
        }

        /**
         * The "Test connection" button: logs in with the selected credentials and asks Argo CD who they are.
         * Connects to a URL given by the caller, hence POST and administrators only.
         */
        @POST
        public FormValidation doTestConnection(
                @QueryParameter String url,
                @QueryParameter String credentialsId,
                @QueryParameter String caCertificate,
                @QueryParameter boolean skipTlsVerify) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = urlProblem(url);
            if (problem == null) {
                problem = caCertificateProblem(caCertificate);
            }
            if (problem != null) {
                return FormValidation.error(problem);
            }
            ArgoCdServer candidate = new ArgoCdServer("connection test", url);
            candidate.setCredentialsId(credentialsId);
            candidate.setCaCertificate(caCertificate);
            candidate.setSkipTlsVerify(skipTlsVerify);
            return ArgoCdConnections.test(candidate);
        }
    }
}
