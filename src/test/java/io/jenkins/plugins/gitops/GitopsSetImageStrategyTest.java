package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.registry.LocalRegistry;
import io.jenkins.plugins.gitops.core.testing.registry.OciImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code gitopsSetImage strategy:} (and its build step) against the real distribution registry (Debian's
 * {@code docker-registry} on 127.0.0.1, plain HTTP behind htpasswd Basic authentication, so named insecure) with images
 * pushed by skopeo, and the real {@code git-http-backend} for the config repository.
 */
@WithJenkins
class GitopsSetImageStrategyTest {

    private static final String GIT_USER = "ci-bot";
    private static final String GIT_PASSWORD = "git-password-that-must-not-leak";
    /** The registry's user: the name a secret text credential's token is sent with. */
    private static final String REGISTRY_USER = "token";
    private static final String REGISTRY_TOKEN = "registry-token-that-must-not-leak";
    private static final String KUSTOMIZATION = "apps/app/kustomization.yaml";

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    static Path registryDir;

    static LocalRegistry registry;

    @TempDir
    private Path servedRoot;

    private BareRepository config;

    /**
     * {@code team/app}: 1.3.0 (rebuilt last, in April), 1.4.0 (February), 1.4.2 (March, also tagged {@code latest}),
     * 2.0.0 (a two-platform index of May), {@code main-7f3c2a1} (June).
     */
    @BeforeAll
    static void startRegistryAndPush() throws Exception {
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.builder(registryDir).basicAuth(REGISTRY_USER, REGISTRY_TOKEN).start();
        registry.push(built("2024-04-01"), "team/app", "1.3.0");
        registry.push(built("2024-02-01"), "team/app", "1.4.0");
        registry.push(built("2024-03-01"), "team/app", "1.4.2");
        registry.push(OciImage.index(List.of(built("2024-05-01"),
                OciImage.single(Instant.parse("2024-05-02T00:00:00Z"), "linux/arm64/v8"))), "team/app", "2.0.0");
        registry.push(built("2024-06-01"), "team/app", "main-7f3c2a1");
        registry.tag("team/app", "1.4.2", List.of("latest"));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void createConfigRepository() {
        config = BareRepository.create(servedRoot, "config.git", "main", Map.of(KUSTOMIZATION, kustomization("1.0.0")));
    }

    @Test
    void semverChoosesOnAnAgentWithUsernamePasswordAndReturnsTheReport(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, GIT_USER, GIT_PASSWORD)) {
            addCredentials(gitCredentials(), new UsernamePasswordCredentialsImpl(
                    CredentialsScope.GLOBAL, "registry", null, REGISTRY_USER, REGISTRY_TOKEN));
            j.createOnlineSlave(Label.get("remote"));
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    node('remote') {
                      def r = gitopsSetImage repo: '%s', credentialsId: 'config-repo', image: '%s',
                                             strategy: 'semver', constraint: '^1.4', ignoreTags: 'latest, main-*',
                                             registryCredentialsId: 'registry', insecureRegistries: '%s'
                      echo "outcome=${r.outcome} tag=${r.tag} digest=${r.digest} reference=${r.reference}"
                      echo "reason=${r.reason}"
                      for (c in r.candidates) {
                        echo "candidate ${c.tag} ${c.verdict}"
                      }
                      echo "changes=${r.changes.size()} new=${r.changes[0].newValue}"
                      gitopsPush message: 'Deploy ${image} ${newVersion}'
                    }
                    """.formatted(server.url("config.git"), image(), registry.address())));

            j.assertLogContains("outcome=CHOSEN tag=1.4.2 digest=null reference=" + image() + ":1.4.2", b);
            j.assertLogContains("reason=1.4.2: the highest version satisfying ^1.4 among 4 allowed of 6 tag(s)", b);
            j.assertLogContains("candidate 1.4.2 CHOSEN", b);
            j.assertLogContains("candidate 1.4.0 ELIGIBLE", b);
            j.assertLogContains("candidate 1.3.0 OUTSIDE_CONSTRAINT", b);
            j.assertLogContains("candidate latest IGNORED", b);
            j.assertLogContains("changes=1 new=1.4.2", b);
            j.assertLogContains("Chose " + image() + ":1.4.2", b);
            assertThat(config.show("main", KUSTOMIZATION)).isEqualTo(kustomization("1.4.2"));
            assertThat(config.subjects("main").get(0)).isEqualTo("Deploy " + image() + " 1.4.2");
            assertNoSecretIn(b, REGISTRY_TOKEN, GIT_PASSWORD);
        }
    }

    @Test
    void aSecretTextTokenReadsTheRegistryAndDigestFollowsATag(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, GIT_USER, GIT_PASSWORD)) {
            addCredentials(gitCredentials(), new StringCredentialsImpl(
                    CredentialsScope.GLOBAL, "registry", null, Secret.fromString(REGISTRY_TOKEN)));
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    node {
                      def r = gitopsSetImage repo: '%s', credentialsId: 'config-repo', image: '%s:latest',
                                             strategy: 'digest', registryCredentialsId: 'registry',
                                             insecureRegistries: '%s'
                      echo "outcome=${r.outcome} tag=${r.tag} digest=${r.digest}"
                      gitopsPush()
                    }
                    """.formatted(server.url("config.git"), image(), registry.address())));

            String digest = built("2024-03-01").digest();
            j.assertLogContains("outcome=CHOSEN tag=latest digest=" + digest, b);
            assertThat(config.show("main", KUSTOMIZATION)).isEqualTo(kustomization("latest") + "    digest: \"" + digest + "\"\n");
            assertNoSecretIn(b, REGISTRY_TOKEN, GIT_PASSWORD);
        }
    }

    @Test
    void noCandidateChangesNothingAndDoesNotFailTheBuild(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, GIT_USER, GIT_PASSWORD)) {
            addCredentials(gitCredentials(), new UsernamePasswordCredentialsImpl(
                    CredentialsScope.GLOBAL, "registry", null, REGISTRY_USER, REGISTRY_TOKEN));
            String before = config.commitOf("main");
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    node {
                      def r = gitopsSetImage repo: '%s', credentialsId: 'config-repo', image: '%s',
                                             strategy: 'semver', constraint: '^3', registryCredentialsId: 'registry',
                                             insecureRegistries: '%s'
                      echo "outcome=${r.outcome} tag=${r.tag} changes=${r.changes.size()}"
                    }
                    """.formatted(server.url("config.git"), image(), registry.address())));

            j.assertLogContains("outcome=NO_CANDIDATE tag=null changes=0", b);
            j.assertLogContains("No candidate for " + image() + ": no tag of " + image() + " is eligible for semver ^3", b);
            assertThat(config.commitOf("main")).isEqualTo(before);
            assertThat(server.pushes()).isZero();
        }
    }

    @Test
    void freestyleNewestBuildAmongAllowedTags(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, GIT_USER, GIT_PASSWORD)) {
            addCredentials(gitCredentials(), new UsernamePasswordCredentialsImpl(
                    CredentialsScope.GLOBAL, "registry", null, REGISTRY_USER, REGISTRY_TOKEN));
            FreeStyleProject p = j.createFreeStyleProject();
            GitopsSetImageStep setImage = new GitopsSetImageStep(image());
            setImage.setRepo(server.url("config.git"));
            setImage.setCredentialsId("config-repo");
            setImage.setStrategy("newest-build");
            setImage.setAllowTags("regexp:^1\\.");
            setImage.setPinDigest(true);
            setImage.setRegistryCredentialsId("registry");
            setImage.setInsecureRegistries(registry.address());
            p.getBuildersList().add(new GitopsSetImageBuilder(setImage));
            p.getBuildersList().add(new GitopsPushBuilder(new GitopsPushStep()));

            FreeStyleBuild b = j.buildAndAssertSuccess(p);

            // 1.3.0 was rebuilt last (April); 2.0.0 and main-* are newer but not allowed
            String digest = built("2024-04-01").digest();
            j.assertLogContains("Chose " + image() + ":1.3.0@" + digest + ": 1.3.0: the newest build (built 2024-04-01T00:00:00Z)", b);
            assertThat(config.show("main", KUSTOMIZATION)).isEqualTo(kustomization("1.3.0") + "    digest: \"" + digest + "\"\n");
            assertNoSecretIn(b, REGISTRY_TOKEN, GIT_PASSWORD);
        }
    }

    @Test
    void wrongRegistryCredentialsFailNamingTheRegistryWithoutShowingTheSecret(JenkinsRule j) throws Exception {
        String wrong = "wrong-registry-token-that-must-not-leak";
        addCredentials(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "registry", null, REGISTRY_USER, wrong));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, """
                node {
                  gitopsSetImage repo: 'https://127.0.0.1:9/config.git', image: '%s', strategy: 'semver',
                                 registryCredentialsId: 'registry', insecureRegistries: '%s'
                }
                """.formatted(image(), registry.address())));

        j.assertLogContains("registry " + registry.address() + " refused the credentials", b);
        j.assertLogContains("check the registry user name and password", b);
        assertNoSecretIn(b, wrong);
    }

    @Test
    void badStrategyArgumentsFailBeforeTheRegistryOrTheRepositoryIsRead(JenkinsRule j) throws Exception {
        // 127.0.0.1:9 (discard) is never asked: each run fails on its arguments first
        WorkflowRun badRegexp = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "regexp", """
                node {
                  gitopsSetImage repo: 'https://127.0.0.1:9/config.git', image: '127.0.0.1:9/team/app',
                                 strategy: 'semver', allowTags: 'regexp:^(1'
                }
                """));
        j.assertLogContains("allowTags 'regexp:^(1' is not a valid regular expression", badRegexp);
        WorkflowRun noStrategy = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "nostrategy", """
                node {
                  gitopsSetImage repo: 'https://127.0.0.1:9/config.git', image: '127.0.0.1:9/team/app', tag: '1',
                                 constraint: '^1.4'
                }
                """));
        j.assertLogContains("give strategy too", noStrategy);
        WorkflowRun tagAndSemver = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "tag", """
                node {
                  gitopsSetImage repo: 'https://127.0.0.1:9/config.git', image: '127.0.0.1:9/team/app', tag: '1',
                                 strategy: 'semver'
                }
                """));
        j.assertLogContains("tag: not with strategy semver", tagAndSemver);
        WorkflowRun noNode = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "nonode", """
                gitopsSetImage image: '127.0.0.1:9/team/app', strategy: 'semver', writeBack: 'argocd', app: 'guestbook'
                """));
        j.assertLogContains("strategy reads the image registry from the agent of the workspace", noNode);
    }

    /** The Snippet Generator's form is the step's config.jelly; what it writes from the bound step is this. */
    @Test
    void theSnippetGeneratorWritesTheStrategyArguments(JenkinsRule j) {
        GitopsSetImageStep step = new GitopsSetImageStep("ghcr.io/acme/app");
        step.setRepo("https://git.example.com/platform/config.git");
        step.setStrategy("newest-build");
        step.setAllowTags("regexp:^main-");
        step.setIgnoreTags("main-old*");
        step.setPlatform("linux/amd64, linux/arm64");
        step.setPinDigest(true);
        step.setRegistryCredentialsId("ghcr");

        assertThat(Snippetizer.object2Groovy(step)).isEqualTo("gitopsSetImage allowTags: 'regexp:^main-', ignoreTags:"
                + " 'main-old*', image: 'ghcr.io/acme/app', pinDigest: true, platform: 'linux/amd64, linux/arm64',"
                + " registryCredentialsId: 'ghcr', repo: 'https://git.example.com/platform/config.git',"
                + " strategy: 'newest-build'");
    }

    private static OciImage built(String day) {
        return OciImage.single(Instant.parse(day + "T00:00:00Z"), "linux/amd64");
    }

    private static String image() {
        return registry.image("team/app");
    }

    private static String kustomization(String tag) {
        return """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - deployment.yaml
                images:
                  - name: %s
                    newTag: "%s" # pinned by CI
                """.formatted(image(), tag);
    }

    private static UsernamePasswordCredentialsImpl gitCredentials() throws Exception {
        return new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, GIT_USER, GIT_PASSWORD);
    }

    private static void addCredentials(Credentials... credentials) throws Exception {
        SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
        provider.getCredentials().addAll(List.of(credentials));
        provider.save();
    }

    /** Neither the log nor build.xml (but for the Pipeline script as written) holds any of {@code secrets}. */
    private static void assertNoSecretIn(Run<?, ?> b, String... secrets) throws Exception {
        String log = JenkinsRule.getLog(b);
        String buildXml = Files.readString(b.getRootDir().toPath().resolve("build.xml"))
                .replaceFirst("(?s)<script>.*?</script>", "");
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
            assertThat(buildXml).doesNotContain(secret);
        }
    }

    private static WorkflowJob pipeline(JenkinsRule j, String script) throws Exception {
        return pipeline(j, "p", script);
    }

    private static WorkflowJob pipeline(JenkinsRule j, String name, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }
}
