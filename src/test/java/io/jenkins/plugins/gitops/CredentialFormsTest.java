package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.FreeStyleProject;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import java.util.List;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Form checks that tell whether a credential exists answer POST only, and the forms send them as POST. */
@WithJenkins
class CredentialFormsTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "io.jenkins.plugins.gitops.GitopsSetImageStep, checkCredentialsId",
        "io.jenkins.plugins.gitops.GitopsSetImageStep, checkKubeconfigCredentialsId",
        "io.jenkins.plugins.gitops.GitopsPushStep, checkCredentialsId",
        "io.jenkins.plugins.gitops.GitopsSyncStep, checkCredentialsId",
        "io.jenkins.plugins.gitops.GitopsSyncStep, checkKubeconfigCredentialsId",
        "io.jenkins.plugins.gitops.config.ArgoCdServer, checkCredentialsId",
    })
    void credentialChecksRefuseGetAndAnswerPost(String descriptor, String method, JenkinsRule j) throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("p");
        String path = (descriptor.endsWith("ArgoCdServer") ? "" : p.getUrl()) + "descriptorByName/" + descriptor + "/" + method;
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            // Stapler's HttpVerbInterceptor cancels the dispatch of a GET on a @POST method: 404.
            assertThat(wc.goTo(path + "?value=no-such-id", null).getWebResponse().getStatusCode()).isEqualTo(404);
            WebRequest post = new WebRequest(wc.createCrumbedUrl(path), HttpMethod.POST);
            post.setRequestParameters(List.of(new NameValuePair("value", "no-such-id")));
            assertThat(wc.getPage(post).getWebResponse().getStatusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"setImage", "push", "sync"})
    void theBuildStepFormsSendCredentialChecksAsPost(String step, JenkinsRule j) throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("p");
        p.getBuildersList().add(switch (step) {
            case "setImage" -> new GitopsSetImageBuilder(new GitopsSetImageStep("registry.example.com/guestbook"));
            case "push" -> new GitopsPushBuilder(new GitopsPushStep());
            default -> new GitopsSyncBuilder(new GitopsSyncStep("guestbook"));
        });
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.getPage(p, "configure");
            List<HtmlElement> selects = page.getDocumentElement().getElementsByAttribute("select", "name", "_.credentialsId");
            assertThat(selects).isNotEmpty();
            assertThat(selects).allSatisfy(select -> assertThat(select.getAttribute("checkMethod")).isEqualTo("post"));
        }
    }

    @Test
    void theGlobalConfigurationSendsItsCredentialCheckAsPost(JenkinsRule j) throws Exception {
        GitopsGlobalConfiguration.get()
                .setArgoCdServers(List.of(new ArgoCdServer("prod", "https://argocd.example.org")));
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("configure");
            List<HtmlElement> selects = page.getDocumentElement().getElementsByAttribute("select", "name", "_.credentialsId");
            assertThat(selects).isNotEmpty();
            assertThat(selects).allSatisfy(select -> assertThat(select.getAttribute("checkMethod")).isEqualTo("post"));
        }
    }
}
