package io.jenkins.plugins.gitops.core.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitops.core.argocd.Application;
import io.jenkins.plugins.gitops.core.argocd.ApplicationRef;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdClient;
import io.jenkins.plugins.gitops.core.argocd.ArgoCdCredentials;
import io.jenkins.plugins.gitops.core.argocd.Refresh;
import io.jenkins.plugins.gitops.core.git.CloneOptions;
import io.jenkins.plugins.gitops.core.git.GitCredentials;
import io.jenkins.plugins.gitops.core.git.GitProgress;
import io.jenkins.plugins.gitops.core.git.GitRemote;
import io.jenkins.plugins.gitops.core.git.HostKeyPolicy;
import io.jenkins.plugins.gitops.core.git.UpdateLoop;
import io.jenkins.plugins.gitops.core.git.UpdateResult;
import io.jenkins.plugins.gitops.core.kube.KubernetesApplicationBackend;
import io.jenkins.plugins.gitops.core.manifest.EditRequest;
import io.jenkins.plugins.gitops.core.manifest.ImageUpdate;
import io.jenkins.plugins.gitops.core.manifest.TargetKind;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeApplication;
import io.jenkins.plugins.gitops.core.testing.argocd.FakeArgoCd;
import io.jenkins.plugins.gitops.core.testing.git.BareRepository;
import io.jenkins.plugins.gitops.core.testing.git.GitHttpServer;
import io.jenkins.plugins.gitops.core.testing.kube.ApplicationCrServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Application read through the Argo CD API (the fake, validated against swagger.json and the CRD) or the Kubernetes
 * API, its targets derived, and the edit cloned, committed and pushed to a real git server over HTTP.
 */
class ApplicationTargetsTest {

    private static final String USER = "deployer";
    private static final String PASSWORD = "s3cret-Push-Token";
    private static final String IMAGE = "ghcr.io/example-org/guestbook";
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: guestbook
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/example-org/guestbook:1.4.2
            """;
    private static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - ../../base
            images:
              - name: ghcr.io/example-org/guestbook
                newTag: 1.4.2 # pinned by CI
            """;
    private static final String VALUES = """
            image:
              repository: ghcr.io/example-org/guestbook
              tag: 1.4.2
            """;

    @TempDir
    Path temp;

    private BareRepository bare;
    private GitHttpServer git;
    private FakeArgoCd argo;
    private ExecutorService httpExecutor;
    private final GitProgress progress = GitProgress.silent();

    @BeforeEach
    void start() throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        bare = BareRepository.create(served, "config.git", "main", Map.of(
                "base/deployment.yaml", DEPLOYMENT,
                "apps/guestbook/overlays/prod/kustomization.yaml", KUSTOMIZATION,
                "apps/plain/deployment.yaml", DEPLOYMENT,
                "apps/plain/nested/deployment.yaml", DEPLOYMENT,
                "charts/guestbook/Chart.yaml", "apiVersion: v2\nname: guestbook\nversion: 0.1.0\n",
                "charts/guestbook/values.yaml", VALUES,
                "charts/guestbook/values-prod.yaml", VALUES,
                "env/prod/guestbook-values.yaml", VALUES,
                "env/prod/billing-values.yaml", VALUES.replace("guestbook", "billing")));
        try (Git repository = Git.open(bare.path().toFile()); RevWalk walk = new RevWalk(repository.getRepository())) {
            repository.tag().setName("v1.0").setAnnotated(false)
                    .setObjectId(walk.parseCommit(repository.getRepository().resolve(Constants.R_HEADS + "main"))).call();
        }
        git = GitHttpServer.start(served, USER, PASSWORD);
        argo = FakeArgoCd.builder().gitRepository(bare.path()).start();
        httpExecutor = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        argo.close();
        git.close();
        httpExecutor.shutdownNow();
    }

    private String repoUrl() {
        return git.url(bare.name());
    }

    private FakeApplication app(String name, Consumer<ObjectNode> spec) {
        FakeApplication app = argo.createApp(FakeArgoCd.CONTROLLER_NAMESPACE, name, repoUrl(), "main");
        app.edit(json -> spec.accept(json.withObjectProperty("spec")));
        return app;
    }

    private static ObjectNode source(ObjectNode spec) {
        return spec.withObjectProperty("source");
    }

    private Application read(String name) {
        return read(ApplicationRef.of(name));
    }

    private Application read(ApplicationRef ref) {
        ArgoCdClient client = new ArgoCdClient(argo.uri(), new ArgoCdCredentials.Token(argo.issueToken(FakeArgoCd.USERNAME)),
                HttpClient.newBuilder().executor(httpExecutor).build());
        return client.get(ref, Refresh.NONE).join();
    }

    private GitRemote remote(GitCredentials credentials) {
        return new GitRemote(repoUrl(), credentials, HostKeyPolicy.off());
    }

    private List<UpdateResult> update(Application app, EditRequest base) throws IOException {
        List<UpdateResult> results = new java.util.ArrayList<>();
        for (GitTarget target : ApplicationTargets.resolve(app, base.updates().get(0))) {
            results.add(ApplicationUpdate.run(target, base, remote(GitCredentials.usernamePassword(USER, PASSWORD)),
                    CloneOptions.defaults(), Files.createTempDirectory(temp, "clone-"),
                    new UpdateLoop(UpdateLoop.Settings.defaults(), progress), progress));
        }
        return results;
    }

    private static EditRequest tag(String tag) {
        return EditRequest.of(ImageUpdate.tag(IMAGE, tag));
    }

    @Test
    void kustomizeSourceGetsTheTagInItsKustomizationImages() throws IOException {
        app("guestbook", spec -> source(spec).put("path", "apps/guestbook/overlays/prod"));

        List<UpdateResult> results = update(read("guestbook"), tag("1.5.0"));

        assertThat(results).singleElement().isInstanceOf(UpdateResult.Pushed.class);
        assertThat(bare.filesChangedBy("main")).containsExactly("apps/guestbook/overlays/prod/kustomization.yaml");
        assertThat(bare.show("main", "apps/guestbook/overlays/prod/kustomization.yaml"))
                .isEqualTo(KUSTOMIZATION.replace("newTag: 1.4.2", "newTag: 1.5.0"));
        assertThat(bare.show("main", "base/deployment.yaml")).isEqualTo(DEPLOYMENT);
    }

    @Test
    void helmSourceEditsOnlyTheValueFilesItNames() throws IOException {
        app("guestbook", spec -> source(spec).put("path", "charts/guestbook")
                .putObject("helm").putArray("valueFiles").add("values-prod.yaml").add("../../env/prod/guestbook-values.yaml"));

        update(read("guestbook"), tag("1.5.0"));

        assertThat(bare.filesChangedBy("main"))
                .containsExactlyInAnyOrder("charts/guestbook/values-prod.yaml", "env/prod/guestbook-values.yaml");
        assertThat(bare.show("main", "charts/guestbook/values.yaml")).as("the chart's defaults, not named").isEqualTo(VALUES);
    }

    @Test
    void chartWithoutValueFilesEditsItsValuesYaml() throws IOException {
        app("guestbook", spec -> source(spec).put("path", "charts/guestbook"));

        update(read("guestbook"), tag("1.5.0"));

        assertThat(bare.filesChangedBy("main")).containsExactly("charts/guestbook/values.yaml");
    }

    @Test
    void helmSourceWithArgocdSourceKindWritesTheWriteBackFileInItsPath() throws IOException {
        app("guestbook", spec -> source(spec).put("path", "charts/guestbook"));

        update(read("guestbook"), tag("1.5.0").withKind(TargetKind.ARGOCD_SOURCE));

        assertThat(bare.filesChangedBy("main")).containsExactly("charts/guestbook/.argocd-source-guestbook.yaml");
        assertThat(bare.show("main", "charts/guestbook/.argocd-source-guestbook.yaml"))
                .contains("name: image.tag").contains("value: 1.5.0");
        assertThat(bare.show("main", "charts/guestbook/values.yaml")).isEqualTo(VALUES);
    }

    @Test
    void anAppOutsideTheControlPlaneNamespaceWritesTheFileArgoCdReadsForItsInstanceName() throws IOException {
        argo.createApp("team-a", "guestbook", repoUrl(), "main").path("charts/guestbook");
        Application app = read(new ApplicationRef("guestbook", "team-a", null));

        update(app, tag("1.5.0").withKind(TargetKind.ARGOCD_SOURCE));

        // the repo server reads .argocd-source-<namespace>_<name>.yaml for it (Application#instanceName)
        assertThat(bare.filesChangedBy("main")).containsExactly("charts/guestbook/.argocd-source-team-a_guestbook.yaml");
        assertThat(bare.show("main", "charts/guestbook/.argocd-source-team-a_guestbook.yaml")).contains("value: 1.5.0");
    }

    @Test
    void anAppInAnotherNamespaceNotYetReconciledIsRefusedRatherThanGuessingTheWriteBackFile() {
        argo.createApp("team-a", "guestbook", repoUrl(), "main").path("charts/guestbook")
                .edit(json -> json.withObjectProperty("status").remove("controllerNamespace"));
        Application app = read(new ApplicationRef("guestbook", "team-a", null));

        assertThatThrownBy(() -> update(app, tag("1.5.0").withKind(TargetKind.ARGOCD_SOURCE)))
                .isInstanceOf(TargetRefusedException.class)
                .hasMessageContaining("'.argocd-source-guestbook.yaml' in the control plane's namespace,"
                        + " '.argocd-source-<namespace>_guestbook.yaml' in another");
        assertThat(bare.subjects("main")).hasSize(1);
    }

    @Test
    void directorySourceEditsTheWorkloadsDirectlyInItUnlessRecursive() throws IOException {
        app("plain", spec -> source(spec).put("path", "apps/plain"));

        update(read("plain"), tag("1.5.0"));

        assertThat(bare.filesChangedBy("main")).containsExactly("apps/plain/deployment.yaml");

        app("plain-all", spec -> source(spec).put("path", "apps/plain").putObject("directory").put("recurse", true));
        update(read("plain-all"), tag("1.6.0"));

        assertThat(bare.filesChangedBy("main"))
                .containsExactlyInAnyOrder("apps/plain/deployment.yaml", "apps/plain/nested/deployment.yaml");
    }

    @Test
    void multiSourceChartFollowsTheRefValueFileToItsRepository() throws IOException {
        app("guestbook", spec -> {
            spec.remove("source");
            ArrayNode sources = spec.putArray("sources");
            sources.addObject().put("repoURL", "https://charts.example.org").put("chart", "guestbook")
                    .put("targetRevision", "0.1.0")
                    .putObject("helm").putArray("valueFiles").add("$values/env/prod/guestbook-values.yaml");
            sources.addObject().put("repoURL", repoUrl()).put("targetRevision", "main").put("ref", "values");
        });

        List<UpdateResult> results = update(read("guestbook"), tag("1.5.0"));

        assertThat(results).singleElement().isInstanceOf(UpdateResult.Pushed.class);
        assertThat(bare.filesChangedBy("main")).containsExactly("env/prod/guestbook-values.yaml");
    }

    @Test
    void multiSourceEditsOnlyTheSourcesWhoseFilesReferenceTheImage() throws IOException {
        app("guestbook", spec -> {
            spec.remove("source");
            ArrayNode sources = spec.putArray("sources");
            sources.addObject().put("repoURL", repoUrl()).put("targetRevision", "main").put("path", "env/prod")
                    .putObject("directory");
            sources.addObject().put("repoURL", repoUrl()).put("targetRevision", "main").put("path", "apps/plain");
        });

        List<UpdateResult> results = update(read("guestbook"), tag("1.5.0"));

        assertThat(results).as("both sources are in one repository and branch: one commit").hasSize(1);
        assertThat(bare.filesChangedBy("main")).containsExactly("apps/plain/deployment.yaml");
    }

    @Test
    void chartFromAHelmRepositoryIsRefusedSayingWhatToDoInstead() {
        app("guestbook", spec -> source(spec).put("repoURL", "https://charts.example.org").put("chart", "guestbook")
                .put("targetRevision", "0.1.0").remove("path"));

        assertThatThrownBy(() -> ApplicationTargets.resolve(read("guestbook"), ImageUpdate.tag(IMAGE, "1.5.0")))
                .isInstanceOf(TargetRefusedException.class)
                .hasMessageContaining("chart 'guestbook' from the Helm repository https://charts.example.org")
                .hasMessageContaining("write-back 'argocd'");
    }

    @Test
    void chartFromAnOciRepositoryIsRefused() {
        app("guestbook", spec -> source(spec).put("repoURL", "oci://ghcr.io/example-org/charts/guestbook")
                .put("targetRevision", "0.1.0").put("path", "."));

        assertThatThrownBy(() -> ApplicationTargets.resolve(read("guestbook"), ImageUpdate.tag(IMAGE, "1.5.0")))
                .isInstanceOf(TargetRefusedException.class)
                .hasMessageContaining("from the OCI repository oci://ghcr.io/example-org/charts/guestbook");
    }

    @Test
    void tagAsTargetRevisionIsRefusedBeforeCloning() throws IOException {
        app("guestbook", spec -> source(spec).put("path", "apps/plain").put("targetRevision", "v1.0"));

        assertThatThrownBy(() -> update(read("guestbook"), tag("1.5.0")))
                .isInstanceOf(TargetRefusedException.class)
                .hasMessageContaining("follows the tag 'v1.0'")
                .hasMessageContaining("Point the Application at a branch");
        assertThat(bare.subjects("main")).hasSize(1);
    }

    @Test
    void commitAsTargetRevisionIsRefused() {
        String sha = bare.commitOf("main");
        app("guestbook", spec -> source(spec).put("path", "apps/plain").put("targetRevision", sha));

        assertThatThrownBy(() -> ApplicationTargets.resolve(read("guestbook"), ImageUpdate.tag(IMAGE, "1.5.0")))
                .isInstanceOf(TargetRefusedException.class)
                .hasMessageContaining("pinned to the commit " + sha);
    }

    @Test
    void shortCommitAsTargetRevisionIsRefusedOnceTheBranchesAreKnown() throws IOException {
        String shortSha = bare.commitOf("main").substring(0, 10);
        app("guestbook", spec -> source(spec).put("path", "apps/plain").put("targetRevision", shortSha));

        assertThatThrownBy(() -> update(read("guestbook"), tag("1.5.0")))
                .isInstanceOf(TargetRefusedException.class)
                .hasMessageContaining("pinned to the commit " + shortSha);
    }

    @Test
    void sshKeyForAnHttpsRepositoryIsRefusedNamingTheCredentialsItNeeds() {
        app("guestbook", spec -> source(spec).put("path", "apps/plain"));
        GitTarget target = ApplicationTargets.resolve(read("guestbook"), ImageUpdate.tag(IMAGE, "1.5.0")).get(0);

        assertThatThrownBy(() -> target.requireCredentialsFit(GitCredentials.sshKey("-----BEGIN OPENSSH PRIVATE KEY-----", null)))
                .isInstanceOf(TargetRefusedException.class)
                .hasMessageContaining("give HTTPS credentials");
        target.requireCredentialsFit(GitCredentials.usernamePassword(USER, PASSWORD));
    }

    @Test
    void imageTheApplicationOverridesItselfIsRefused() {
        app("guestbook", spec -> source(spec).put("path", "apps/guestbook/overlays/prod")
                .putObject("kustomize").putArray("images").add(IMAGE + ":1.4.0"));

        assertThatThrownBy(() -> ApplicationTargets.resolve(read("guestbook"), ImageUpdate.tag(IMAGE, "1.5.0")))
                .isInstanceOf(TargetRefusedException.class)
                .hasMessageContaining("'" + IMAGE + ":1.4.0' in kustomize.images");
    }

    @Test
    void applicationReadThroughTheKubernetesApiGivesTheSameTargets() throws IOException {
        try (ApplicationCrServer cluster = ApplicationCrServer.start(); KubernetesClient client = cluster.newClient()) {
            ObjectNode resource = ApplicationCrServer.exampleApplication("guestbook");
            ObjectNode spec = resource.withObjectProperty("spec");
            spec.remove("sources");
            spec.putObject("source").put("repoURL", repoUrl()).put("targetRevision", "main")
                    .put("path", "apps/guestbook/overlays/prod");
            cluster.create(resource);
            Application app = new KubernetesApplicationBackend(client, null, null, httpExecutor)
                    .get(ApplicationRef.of("guestbook"), Refresh.NONE).join();

            update(app, tag("1.5.0"));

            assertThat(bare.filesChangedBy("main")).containsExactly("apps/guestbook/overlays/prod/kustomization.yaml");
            assertThat(cluster.rejectedWrites()).isEmpty();
        }
    }
}
