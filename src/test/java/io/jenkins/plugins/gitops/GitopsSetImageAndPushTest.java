package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.model.Run;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.git.GitSshServer;
import io.jenkins.plugins.gitops.core.testing.git.SshClientKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jenkinsci.plugins.gitclient.GitHostKeyVerificationConfiguration;
import org.jenkinsci.plugins.gitclient.verifier.AcceptFirstConnectionStrategy;
import org.jenkinsci.plugins.gitclient.verifier.ManuallyProvidedKeyVerificationStrategy;
import org.jenkinsci.plugins.gitclient.verifier.SshHostKeyVerificationStrategy;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code gitopsSetImage} and {@code gitopsPush} (and their build steps) against real git servers on loopback: the real
 * {@code git-http-backend} behind Basic auth, and Apache MINA SSHD running git with key authentication.
 */
@WithJenkins
class GitopsSetImageAndPushTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "http-password-that-must-not-leak";
    private static final String IMAGE = "registry.example.com/guestbook";
    private static final String PROD = "apps/guestbook/overlays/prod/kustomization.yaml";
    private static final String STAGING = "apps/guestbook/overlays/staging/kustomization.yaml";
    private static final Map<String, String> CONFIG = Map.of(
            PROD, kustomization("1.0.0"),
            STAGING, kustomization("1.0.0"),
            "apps/api/deployment.yaml", """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: api
                    spec:
                      template:
                        spec:
                          containers:
                            - name: api
                              image: registry.example.com/api:2.0.0
                    """);

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    private Path servedRoot;

    private BareRepository config;

    @BeforeEach
    void createConfigRepository() {
        config = BareRepository.create(servedRoot, "config.git", "main", CONFIG);
    }

    @Test
    void setsTheImageTwiceOnAnAgentAndPushesOneCommit(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD)) {
            addCredentials(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD));
            DumbSlave agent = j.createOnlineSlave(Label.get("remote"));
            String url = server.url("config.git");
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    node('remote') {
                      def changes = gitopsSetImage repo: '%1$s', credentialsId: 'config-repo',
                                                   path: 'apps/guestbook/overlays/prod', image: '%2$s', tag: '1.4.2'
                      echo "changes=${changes.size()} file=${changes[0].file} old=${changes[0].oldValue} new=${changes[0].newValue}"
                      gitopsSetImage repo: '%1$s', credentialsId: 'config-repo',
                                     path: 'apps/guestbook/overlays/staging', image: '%2$s', tag: '1.4.2'
                      def pushed = gitopsPush message: 'Deploy ${image} ${newVersion} [skip ci]'
                      echo "sha=${pushed.sha} changed=${pushed.changed} attempts=${pushed.attempts}"
                    }
                    """.formatted(url, IMAGE)));

            String head = config.commitOf("main");
            j.assertLogContains("changes=1 file=" + PROD + " old=1.0.0 new=1.4.2", b);
            j.assertLogContains("sha=" + head + " changed=true attempts=1", b);
            j.assertLogNotContains(PASSWORD, b);
            assertThat(config.subjects("main")).containsExactly(
                    "Deploy " + IMAGE + " 1.4.2 [skip ci]", "Initial config");
            assertThat(config.filesChangedBy("main")).containsExactlyInAnyOrder(PROD, STAGING);
            // Surgical: only the tag changed, the trailing comment survived.
            assertThat(config.show("main", PROD)).isEqualTo(kustomization("1.4.2"));
            assertThat(config.show("main", "apps/api/deployment.yaml")).isEqualTo(CONFIG.get("apps/api/deployment.yaml"));
            config.fsck();

            GitopsDeploymentAction action = b.getAction(GitopsDeploymentAction.class);
            assertThat(action.getImageUpdates()).hasSize(2);
            assertThat(action.lastPushedCommit()).isEqualTo(head);
            try (JenkinsRule.WebClient wc = j.createWebClient()) {
                String page = wc.getPage(b).asNormalizedText();
                assertThat(page).contains(IMAGE + ":1.4.2").contains(head.substring(0, 12));
            }
            // the agent's checkout: its git config and its (emptied) edit journal
            FilePath checkout = agent.getWorkspaceFor(b.getParent()).child(".gitops/config");
            assertThat(checkout.child(".git/config").readToString()).contains(url).doesNotContain(PASSWORD);
            assertThat(checkout.child(".git/gitops/pending-edits.json").exists()).as("journal cleared by the push").isFalse();
            assertSecretNowhere(j, b, PASSWORD);
        }
    }

    @Test
    void aLaterBuildReusesTheCheckoutFromTheRemoteTip(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD)) {
            addCredentials(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD));
            WorkflowJob p = pipeline(j, """
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-repo', path: 'apps/guestbook/overlays/prod',
                                     image: '%s', tag: "2.0.${env.BUILD_NUMBER}"
                      def pushed = gitopsPush()
                      echo "attempts=${pushed.attempts}"
                    }
                    """.formatted(server.url("config.git"), IMAGE));
            j.buildAndAssertSuccess(p);
            config.commitDirectly("main", Map.of("apps/api/deployment.yaml", CONFIG.get("apps/api/deployment.yaml")
                    .replace("api:2.0.0", "api:2.0.1")), "Deploy api 2.0.1");

            WorkflowRun second = j.buildAndAssertSuccess(p);

            j.assertLogContains("Reusing the checkout", second);
            j.assertLogContains("attempts=1", second);
            assertThat(config.show("main", PROD)).isEqualTo(kustomization("2.0.2"));
            assertThat(config.show("main", "apps/api/deployment.yaml")).contains("api:2.0.1");
            assertThat(config.firstParentChain("main")).hasSize(4);
        }
    }

    @Test
    void pushingAnUnchangedCheckoutReportsTheBranchTip(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD)) {
            addCredentials(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD));
            String before = config.commitOf("main");
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    node {
                      def changes = gitopsSetImage repo: '%s', credentialsId: 'config-repo', image: '%s', tag: '1.0.0'
                      echo "changes=${changes.size()}"
                      def pushed = gitopsPush()
                      echo "sha=${pushed.sha} changed=${pushed.changed}"
                    }
                    """.formatted(server.url("config.git"), IMAGE)));
            j.assertLogContains("changes=0", b);
            j.assertLogContains("already at the requested version", b);
            j.assertLogContains("sha=" + before + " changed=false", b);
            assertThat(config.commitOf("main")).isEqualTo(before);
        }
    }

    @Test
    void anImageFoundNowhereFailsTheBuildAndPushesNothing(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD)) {
            addCredentials(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD));
            String before = config.commitOf("main");
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, """
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-repo', image: 'registry.example.com/nowhere', tag: '1'
                      gitopsPush()
                    }
                    """.formatted(server.url("config.git"))));
            j.assertLogContains("No reference to image registry.example.com/nowhere was found", b);
            assertThat(config.commitOf("main")).isEqualTo(before);
            assertThat(server.pushes()).isZero();
        }
    }

    @Test
    void badArgumentsFailBeforeAnythingIsCloned(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD)) {
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, """
                    node {
                      gitopsSetImage repo: '%s', image: '%s', tag: 'not a tag'
                    }
                    """.formatted(server.url("config.git"), IMAGE)));
            j.assertLogContains("not a tag", b);
            WorkflowRun escape = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "escape", """
                    node {
                      gitopsSetImage repo: '%s', image: '%s', tag: '2', dir: '../elsewhere'
                    }
                    """.formatted(server.url("config.git"), IMAGE)));
            j.assertLogContains("must be a path inside the workspace", escape);
        }
    }

    @Test
    void repositoryAndArgoCdUrlsThatCarryCredentialsAreRefusedAndNeverShownOrStored(JenkinsRule j) throws Exception {
        String secret = "url-secret-that-must-not-leak";
        WorkflowRun withPassword = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "password", """
                node {
                  gitopsSetImage repo: 'https://ci-bot:%s@127.0.0.1:9/config.git', image: '%s', tag: '2'
                }
                """.formatted(secret, IMAGE)));
        WorkflowRun withToken = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "token", """
                node {
                  gitopsSetImage repo: 'https://%s@127.0.0.1:9/config.git', image: '%s', tag: '2'
                }
                """.formatted(secret, IMAGE)));
        WorkflowRun argoCd = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, "argocd", """
                gitopsSync url: 'https://admin:%s@127.0.0.1:9', credentialsId: 'argocd', app: 'guestbook'
                """.formatted(secret)));

        for (WorkflowRun b : List.of(withPassword, withToken)) {
            j.assertLogContains("must not carry a user name, token or password", b);
            j.assertLogContains("https://127.0.0.1:9/config.git", b);
        }
        j.assertLogContains("Put no user name or password in the URL", argoCd);
        for (WorkflowRun b : List.of(withPassword, withToken, argoCd)) {
            j.assertLogNotContains(secret, b);
            assertThat(b.getAction(GitopsDeploymentAction.class)).isNull();
            // build.xml also holds the Pipeline script as the user wrote it, secret included: only the rest counts.
            String buildXml = Files.readString(b.getRootDir().toPath().resolve("build.xml"));
            assertThat(buildXml.replaceFirst("(?s)<script>.*?</script>", "")).doesNotContain(secret);
        }
    }

    @Test
    void freestylePushLosesARaceAndReappliesTheEditOnTheNewTip(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD)) {
            addCredentials(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD));
            FreeStyleProject p = j.createFreeStyleProject();
            GitopsSetImageStep setImage = new GitopsSetImageStep(IMAGE);
            setImage.setRepo(server.url("config.git"));
            setImage.setCredentialsId("config-repo");
            setImage.setPath("apps/guestbook/overlays/prod");
            setImage.setTag("3.0.${BUILD_NUMBER}"); // build variables are expanded in freestyle
            p.getBuildersList().add(new GitopsSetImageBuilder(setImage));
            // Between our edit and our push: the checkout's git files as they are then, and another pipeline's push.
            Map<String, String> checkoutFiles = new ConcurrentHashMap<>();
            p.getBuildersList().add(TestBuilder.of((build, launcher, listener) -> {
                FilePath git = build.getWorkspace().child(".gitops/config/.git"); // the step's clone of the repository
                checkoutFiles.put("journal", git.child("gitops/pending-edits.json").readToString());
                checkoutFiles.put("config", git.child("config").readToString());
                config.commitDirectly("main", Map.of("apps/api/deployment.yaml", CONFIG.get("apps/api/deployment.yaml")
                        .replace("api:2.0.0", "api:2.1.0")), "Deploy api 2.1.0");
            }));
            p.getBuildersList().add(new GitopsPushBuilder(new GitopsPushStep()));

            FreeStyleBuild b = j.buildAndAssertSuccess(p);

            j.assertLogContains("lost a race", b);
            j.assertLogNotContains(PASSWORD, b);
            List<String> chain = config.firstParentChain("main");
            assertThat(chain).hasSize(3); // initial, the other pipeline's commit, ours on top: nothing forced
            assertThat(config.subjects("main").get(1)).isEqualTo("Deploy api 2.1.0");
            assertThat(config.show("main", PROD)).isEqualTo(kustomization("3.0.1"));
            assertThat(config.show("main", "apps/api/deployment.yaml")).contains("api:2.1.0");
            assertThat(b.getAction(GitopsDeploymentAction.class).getPushes().get(0).getAttempts()).isEqualTo(2);
            assertThat(checkoutFiles.get("journal")).as("the edit journal").contains("3.0.1").doesNotContain(PASSWORD);
            assertThat(checkoutFiles.get("config")).as("the checkout's .git/config").contains(server.url("config.git"))
                    .doesNotContain(PASSWORD);
            assertThat(b.getWorkspace().child(".gitops/config/.git/config").readToString()).doesNotContain(PASSWORD);
            assertSecretNowhere(j, b, PASSWORD);
        }
    }

    /**
     * Neither the build's log, its build.xml (the Pipeline script aside, which holds what the user wrote) nor its
     * page with the deployment summary (read without JavaScript) carry {@code secret}.
     */
    private static void assertSecretNowhere(JenkinsRule j, Run<?, ?> b, String secret) throws Exception {
        j.assertLogNotContains(secret, b);
        String buildXml = Files.readString(b.getRootDir().toPath().resolve("build.xml"));
        assertThat(buildXml.replaceFirst("(?s)<script>.*?</script>", "")).doesNotContain(secret);
        GitopsDeploymentAction action = b.getAction(GitopsDeploymentAction.class);
        assertThat(action).as("the deployment record").isNotNull();
        try (JenkinsRule.WebClient wc = j.createWebClient().withJavaScriptEnabled(false)) {
            assertThat(wc.getPage(b).asNormalizedText()).as("the build page")
                    .contains(action.lastPushedCommit().substring(0, 12)).doesNotContain(secret);
        }
    }

    /**
     * "Accept first connection" records the key in git-client's known_hosts file (the build points it at
     * target/known_hosts), so that a later build, on any agent of that machine, checks the host against it.
     */
    @Test
    void acceptFirstConnectionRecordsTheHostKeyInGitClientsKnownHostsFile(JenkinsRule j) throws Exception {
        Path keys = Files.createDirectories(servedRoot.resolve("keys"));
        SshClientKey key = SshClientKey.generate(keys, "jenkins", "");
        SshClientKey stranger = SshClientKey.generate(keys, "stranger", "");
        Path knownHosts = SshHostKeyVerificationStrategy.JGIT_KNOWN_HOSTS_FILE.toPath();
        Files.deleteIfExists(knownHosts);
        try (GitSshServer server = GitSshServer.start(servedRoot, key.publicKey())) {
            GitHostKeyVerificationConfiguration.get().setSshHostKeyVerificationStrategy(new AcceptFirstConnectionStrategy());
            addCredentials(new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "config-ssh", "git",
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(key.privateKey()), null, null));
            String script = """
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-ssh', image: '%s', tag: '6.0.0', dir: "c${env.BUILD_NUMBER}"
                    }
                    """.formatted(server.urlWithoutUser("config.git"), IMAGE);
            WorkflowJob p = pipeline(j, script);

            j.buildAndAssertSuccess(p);
            assertThat(Files.readString(knownHosts)).isEqualTo(server.knownHostsLine() + "\n");

            // Another key recorded for the host (as if the first connection had met an impostor): now refused.
            String impostor = "[127.0.0.1]:" + server.port() + " " + stranger.publicKeyLine().replaceFirst(" stranger$", "");
            Files.writeString(knownHosts, impostor + "\n");
            WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, p);
            j.assertLogContains("CHANGED", refused);
            assertThat(Files.readString(knownHosts)).isEqualTo(impostor + "\n");
        } finally {
            Files.deleteIfExists(knownHosts);
        }
    }

    @Test
    void clonesAndPushesOverSshWithAnEncryptedKeyAndApprovedHostKey(JenkinsRule j) throws Exception {
        Path keys = Files.createDirectories(servedRoot.resolve("keys"));
        String passphrase = "key-passphrase-that-must-not-leak";
        SshClientKey key = SshClientKey.generate(keys, "jenkins", passphrase);
        try (GitSshServer server = GitSshServer.start(servedRoot, key.publicKey())) {
            GitHostKeyVerificationConfiguration.get().setSshHostKeyVerificationStrategy(
                    new ManuallyProvidedKeyVerificationStrategy(server.knownHostsLine()));
            addCredentials(new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "config-ssh", "deploy-bot",
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(key.privateKey()), passphrase, null));
            // The URL names no user: the credential's user name is the login, the URL stays as given.
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-ssh', image: '%s', tag: '5.0.0',
                                     path: 'apps/guestbook/overlays/staging'
                      def pushed = gitopsPush authorName: 'Release Bot', authorEmail: 'release@example.com'
                      echo "sha=${pushed.sha}"
                    }
                    """.formatted(server.urlWithoutUser("config.git"), IMAGE)));
            assertThat(server.authenticatedUsers()).isNotEmpty().containsOnly("deploy-bot");
            j.assertLogContains("sha=" + config.commitOf("main"), b);
            j.assertLogNotContains(passphrase, b);
            j.assertLogNotContains(key.privateKey().lines().skip(1).findFirst().orElseThrow(), b);
            assertThat(config.show("main", STAGING)).isEqualTo(kustomization("5.0.0"));
            assertThat(server.pushes()).isEqualTo(1);
        }
    }

    @Test
    void refusesAnSshServerWhoseHostKeyIsNotApproved(JenkinsRule j) throws Exception {
        Path keys = Files.createDirectories(servedRoot.resolve("keys"));
        SshClientKey key = SshClientKey.generate(keys, "jenkins", "");
        SshClientKey unrelated = SshClientKey.generate(keys, "unrelated", "");
        try (GitSshServer server = GitSshServer.start(servedRoot, key.publicKey())) {
            String wrongLine = server.knownHostsLine().replaceFirst("\\S+ \\S+$", unrelated.publicKeyLine()
                    .replaceFirst("\\s+\\S+$", ""));
            GitHostKeyVerificationConfiguration.get().setSshHostKeyVerificationStrategy(
                    new ManuallyProvidedKeyVerificationStrategy(wrongLine));
            addCredentials(new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "config-ssh", "git",
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(key.privateKey()), "", null));
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, pipeline(j, """
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-ssh', image: '%s', tag: '5.0.0'
                    }
                    """.formatted(server.url("config.git"), IMAGE)));
            j.assertLogContains("host key", b);
            assertThat(server.pushes()).isZero();
        }
    }

    @Test
    void syncWaitsForTheCommitThisBuildPushed(JenkinsRule j) throws Exception {
        try (GitHttpServer server = GitHttpServer.start(servedRoot, USER, PASSWORD);
                FakeArgoCd argo = FakeArgoCd.builder().gitRepository(config.path()).start()) {
            argo.createApp("guestbook");
            String token = argo.issueToken(FakeArgoCd.USERNAME);
            addCredentials(
                    new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "config-repo", null, USER, PASSWORD),
                    new StringCredentialsImpl(CredentialsScope.SYSTEM, "argocd-token", null, Secret.fromString(token)));
            ArgoCdServer prod = new ArgoCdServer("prod", argo.url());
            prod.setCredentialsId("argocd-token");
            GitopsGlobalConfiguration.get().setArgoCdServers(List.of(prod));
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    node {
                      gitopsSetImage repo: '%s', credentialsId: 'config-repo', image: '%s', tag: '1.5.0'
                      gitopsPush()
                    }
                    def r = gitopsSync server: 'prod', app: 'guestbook', timeout: 120
                    echo "outcome=${r.outcome} revision=${r.revision}"
                    """.formatted(server.url("config.git"), IMAGE)));
            j.assertLogContains("outcome=SYNCED revision=" + config.commitOf("main"), b);
            j.assertLogNotContains(token, b);
            j.assertLogNotContains(PASSWORD, b);
        }
    }

    @Test
    void argocdWriteBackOverridesTheApplicationsKustomizeImageAndLeavesGitAlone(JenkinsRule j) throws Exception {
        try (FakeArgoCd argo = FakeArgoCd.builder().start()) {
            argo.setRevision("main", "4f1c2a9be0d3c5f6a7b8c9d0e1f2a3b4c5d6e7f8");
            argo.createApp("guestbook").kustomizeImages(IMAGE + ":1.0.0", "registry.example.com/other:3");
            String token = argo.issueToken(FakeArgoCd.USERNAME);
            addCredentials(new StringCredentialsImpl(CredentialsScope.SYSTEM, "argocd-token", null, Secret.fromString(token)));
            ArgoCdServer prod = new ArgoCdServer("prod", argo.url());
            prod.setCredentialsId("argocd-token");
            GitopsGlobalConfiguration.get().setArgoCdServers(List.of(prod));
            String before = config.commitOf("main");
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    def changes = gitopsSetImage writeBack: 'argocd', server: 'prod', app: 'guestbook',
                                                 image: '%s', tag: '2.0.0'
                    echo "changes=${changes.size()} value=${changes[0].newValue}"
                    def again = gitopsSetImage writeBack: 'argocd', app: 'guestbook', image: '%s', tag: '2.0.0'
                    echo "again=${again.size()}"
                    """.formatted(IMAGE, IMAGE)));
            j.assertLogContains("changes=1 value=" + IMAGE + ":2.0.0", b);
            j.assertLogContains("again=0", b);
            j.assertLogNotContains(token, b);
            assertThat(argo.app("guestbook").json().at("/spec/source/kustomize/images").toString())
                    .contains(IMAGE + ":2.0.0")
                    .contains("registry.example.com/other:3")
                    .doesNotContain(IMAGE + ":1.0.0");
            assertThat(config.commitOf("main")).isEqualTo(before);
        }
    }

    @Test
    void argocdWriteBackOfAHelmApplicationOverridesItsImageParameters(JenkinsRule j) throws Exception {
        try (FakeArgoCd argo = FakeArgoCd.builder().start()) {
            argo.setRevision("main", "4f1c2a9be0d3c5f6a7b8c9d0e1f2a3b4c5d6e7f8");
            argo.createApp("guestbook").helmParameters("replicaCount=2", "backend.image.tag=1.0.0");
            String token = argo.issueToken(FakeArgoCd.USERNAME);
            addCredentials(new StringCredentialsImpl(CredentialsScope.SYSTEM, "argocd-token", null, Secret.fromString(token)));
            ArgoCdServer prod = new ArgoCdServer("prod", argo.url());
            prod.setCredentialsId("argocd-token");
            GitopsGlobalConfiguration.get().setArgoCdServers(List.of(prod));
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, """
                    def changes = gitopsSetImage writeBack: 'argocd', server: 'prod', app: 'guestbook',
                                                 helmKey: 'backend.image', image: '%s', tag: '2.0.0'
                    echo "changes=${changes.size()} field=${changes[0].field}"
                    """.formatted(IMAGE)));
            j.assertLogContains("changes=1 field=spec.source.helm.parameters", b);
            // The tag is replaced in place, the name appended, the other parameter kept; all as strings.
            List<String> parameters = new ArrayList<>();
            argo.app("guestbook").json().at("/spec/source/helm/parameters").forEach(p -> parameters.add(
                    p.path("name").asText() + "=" + p.path("value").asText() + (p.path("forceString").asBoolean() ? " (string)" : "")));
            assertThat(parameters).containsExactly(
                    "replicaCount=2", "backend.image.tag=2.0.0 (string)", "backend.image.name=" + IMAGE + " (string)");
            assertThat(argo.app("guestbook").json().at("/spec/source/kustomize").isMissingNode()).isTrue();
        }
    }

    private static String kustomization(String tag) {
        return """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../base
                images:
                  - name: registry.example.com/guestbook
                    newTag: "%s" # pinned by CI
                """.formatted(tag);
    }

    private static void addCredentials(Credentials... credentials) throws Exception {
        SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
        provider.getCredentials().addAll(List.of(credentials));
        provider.save();
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
