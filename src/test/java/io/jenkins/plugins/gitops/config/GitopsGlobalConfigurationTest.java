package io.jenkins.plugins.gitops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Descriptor;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import java.util.List;
import jenkins.model.Jenkins;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.Stapler;
import org.springframework.security.access.AccessDeniedException;


@WithJenkins
class GitopsGlobalConfigurationTest {

    private static final String TOKEN_ID = "argocd-token";
    private static final String LOGIN_ID = "argocd-login";

    @Test
    void serversSurviveTheConfigurationPageAndARestart(JenkinsRule j) throws Throwable {
        ArgoCdServer prod = new ArgoCdServer("prod", "https://argocd.example.org");
        prod.setCredentialsId(TOKEN_ID);
        prod.setTimeoutSeconds(900);
        ArgoCdServer staging = new ArgoCdServer("staging", "https://argocd-staging.example.org/");
        staging.setSkipTlsVerify(true);
        GitopsGlobalConfiguration.get().setArgoCdServers(List.of(prod, staging));

        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlForm form = wc.goTo("configure").getFormByName("config");
            j.submit(form);
        }
        assertThat(GitopsGlobalConfiguration.get().getArgoCdServers()).containsExactly(prod, staging);

        j.restart();

        List<ArgoCdServer> reloaded = GitopsGlobalConfiguration.get().getArgoCdServers();
        assertThat(reloaded).containsExactly(prod, staging);
        assertThat(reloaded.get(0).getTimeoutSeconds()).isEqualTo(900);
        assertThat(reloaded.get(1).isSkipTlsVerify()).isTrue();
    }

    @Test
    void deletingEveryServerIsSavedAndStaysDeletedAfterARestart(JenkinsRule j) throws Throwable {
        GitopsGlobalConfiguration.get().setArgoCdServers(List.of(new ArgoCdServer("prod", "https://argocd.example.org")));

        // The form of a configuration with every server deleted has no argoCdServers key at all.
        j.executeOnServer(() -> GitopsGlobalConfiguration.get().configure(Stapler.getCurrentRequest2(), new JSONObject()));
        assertThat(GitopsGlobalConfiguration.get().getArgoCdServers()).isEmpty();

        j.restart();
        assertThat(GitopsGlobalConfiguration.get().getArgoCdServers()).isEmpty();
    }

    @Test
    void aFormThatDoesNotBindKeepsTheServersAsTheyWere(JenkinsRule j) throws Throwable {
        ArgoCdServer prod = new ArgoCdServer("prod", "https://argocd.example.org");
        GitopsGlobalConfiguration.get().setArgoCdServers(List.of(prod));
        JSONObject form = new JSONObject().element("argoCdServers", new JSONArray()
                .element(new JSONObject().element("name", "staging").element("url", "https://argocd-staging.example.org"))
                .element(new JSONObject().element("name", "broken").element("url", "ftp://argocd.example.org")));

        assertThatThrownBy(() -> j.executeOnServer(
                        () -> GitopsGlobalConfiguration.get().configure(Stapler.getCurrentRequest2(), form)))
                .isInstanceOf(Descriptor.FormException.class)
                .hasMessageContaining("broken");
        assertThat(GitopsGlobalConfiguration.get().getArgoCdServers()).containsExactly(prod);

        j.restart();
        assertThat(GitopsGlobalConfiguration.get().getArgoCdServers()).containsExactly(prod);
    }

    @Test
    void rejectsDuplicateNamesAndCredentialsInTheUrl(JenkinsRule j) {
        GitopsGlobalConfiguration config = GitopsGlobalConfiguration.get();
        assertThatThrownBy(() -> config.setArgoCdServers(List.of(
                        new ArgoCdServer("prod", "https://a.example.org"),
                        new ArgoCdServer("prod", "https://b.example.org"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prod");
        assertThatThrownBy(() -> config.setArgoCdServers(
                        List.of(new ArgoCdServer("prod", "https://admin:hunter2@argocd.example.org"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no user name or password in the URL")
                .hasMessageNotContaining("hunter2");
        assertThat(config.getArgoCdServers()).isEmpty();
    }

    @Test
    void validatesUrlCertificateAndTimeout(JenkinsRule j) {
        ArgoCdServer.DescriptorImpl d = descriptor(j);
        assertThat(d.doCheckUrl("https://argocd.example.org").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(d.doCheckUrl("http://argocd.example.org").kind).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(d.doCheckUrl("ftp://argocd.example.org").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(d.doCheckUrl("").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(d.doCheckCaCertificate("not a certificate").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(d.doCheckCaCertificate("").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(d.doCheckTimeoutSeconds("0").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(d.doCheckTimeoutSeconds("60").kind).isEqualTo(FormValidation.Kind.OK);
    }

    @Test
    void acceptsTheFakeServersSelfSignedCertificate(JenkinsRule j) {
        try (FakeArgoCd argo = FakeArgoCd.builder().https().start()) {
            assertThat(descriptor(j).doCheckCaCertificate(argo.certificatePem()).kind).isEqualTo(FormValidation.Kind.OK);
        }
    }

    @Test
    void testConnectionLogsInWithATokenOrAUserAndNeverEchoesTheSecret(JenkinsRule j) throws Exception {
        try (FakeArgoCd argo = FakeArgoCd.builder().https().start()) {
            String token = argo.issueToken(FakeArgoCd.USERNAME);
            addSystemCredentials(
                    new StringCredentialsImpl(CredentialsScope.SYSTEM, TOKEN_ID, "token", Secret.fromString(token)),
                    new UsernamePasswordCredentialsImpl(
                            CredentialsScope.SYSTEM, LOGIN_ID, "login", FakeArgoCd.USERNAME, FakeArgoCd.PASSWORD));
            ArgoCdServer.DescriptorImpl d = descriptor(j);

            FormValidation withToken = d.doTestConnection(argo.url(), TOKEN_ID, argo.certificatePem(), false);
            assertThat(withToken.kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(withToken.renderHtml()).contains(FakeArgoCd.USERNAME).doesNotContain(token);

            FormValidation withLogin = d.doTestConnection(argo.url(), LOGIN_ID, argo.certificatePem(), false);
            assertThat(withLogin.kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(withLogin.renderHtml()).doesNotContain(FakeArgoCd.PASSWORD);

            // The JVM does not trust the fake's self-signed certificate: without the CA it must fail.
            assertThat(d.doTestConnection(argo.url(), TOKEN_ID, null, false).kind).isEqualTo(FormValidation.Kind.ERROR);

            argo.expireToken(token);
            FormValidation expired = d.doTestConnection(argo.url(), TOKEN_ID, argo.certificatePem(), false);
            assertThat(expired.kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(expired.renderHtml()).doesNotContain(token);
        }
    }

    @Test
    void formMethodsRequireAdministerAndTestConnectionRequiresPost(JenkinsRule j) throws Exception {
        addSystemCredentials(
                new StringCredentialsImpl(CredentialsScope.SYSTEM, TOKEN_ID, "token", Secret.fromString("s3cr3t-token")));
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        ArgoCdServer.DescriptorImpl d = descriptor(j);

        try (ACLContext ignored = ACL.as(User.getById("reader", true))) {
            assertThatThrownBy(() -> d.doTestConnection("https://argocd.example.org", TOKEN_ID, null, false))
                    .isInstanceOf(AccessDeniedException.class);
            ListBoxModel listed = d.doFillCredentialsIdItems("https://argocd.example.org", "");
            assertThat(values(listed)).doesNotContain(TOKEN_ID);
            assertThat(d.doCheckCredentialsId("https://argocd.example.org", "no-such-id").kind)
                    .isEqualTo(FormValidation.Kind.OK); // says nothing to someone who may not list credentials
        }
        try (ACLContext ignored = ACL.as(User.getById("admin", true))) {
            assertThat(values(d.doFillCredentialsIdItems("https://argocd.example.org", ""))).contains(TOKEN_ID);
            assertThat(d.doCheckCredentialsId("https://argocd.example.org", "no-such-id").kind)
                    .isEqualTo(FormValidation.Kind.ERROR);
        }

        try (JenkinsRule.WebClient wc = j.createWebClient().login("admin")) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            String path = "descriptorByName/" + ArgoCdServer.class.getName() + "/testConnection";
            Page get = wc.goTo(path + "?url=https://argocd.example.org&credentialsId=" + TOKEN_ID, null);
            // Stapler's HttpVerbInterceptor cancels the dispatch of a GET on a @POST method: 404, not 405.
            assertThat(get.getWebResponse().getStatusCode()).isEqualTo(404);

            WebRequest post = new WebRequest(wc.createCrumbedUrl(path), HttpMethod.POST);
            post.setRequestParameters(List.of(
                    new NameValuePair("url", "ftp://argocd.example.org"),
                    new NameValuePair("credentialsId", TOKEN_ID)));
            Page answer = wc.getPage(post);
            assertThat(answer.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(answer.getWebResponse().getContentAsString()).contains("https://");
        }
        try (JenkinsRule.WebClient wc = j.createWebClient().login("reader")) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            WebRequest post = new WebRequest(
                    wc.createCrumbedUrl("descriptorByName/" + ArgoCdServer.class.getName() + "/testConnection"),
                    HttpMethod.POST);
            post.setRequestParameters(List.of(new NameValuePair("url", "https://argocd.example.org")));
            assertThat(wc.getPage(post).getWebResponse().getStatusCode()).isEqualTo(403);
        }
    }

    private static ArgoCdServer.DescriptorImpl descriptor(JenkinsRule j) {
        return j.jenkins.getDescriptorByType(ArgoCdServer.DescriptorImpl.class);
    }

    private static void addSystemCredentials(Credentials... credentials) throws Exception {
        SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
        provider.getCredentials().addAll(List.of(credentials));
        provider.save();
    }

    private static List<String> values(ListBoxModel model) {
        return model.stream().map(option -> option.value).toList();
    }
}
