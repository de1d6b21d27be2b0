package io.jenkins.plugins.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.EnvVars;
import hudson.model.TaskListener;
import io.jenkins.plugins.gitops.config.ArgoCdServer;
import io.jenkins.plugins.gitops.config.GitopsGlobalConfiguration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every argument of every step and build step survives its configuration form. Each test first proves that it sets
 * every argument the step has (to a value other than its default), so an argument added later without a form field
 * fails here.
 */
@WithJenkins
class ConfigRoundTripTest {

    private JenkinsRule j;

    @BeforeEach
    void configureServer(JenkinsRule j) {
        this.j = j;
        // The server drop-down lists configured servers only.
        GitopsGlobalConfiguration.get().setArgoCdServers(List.of(new ArgoCdServer("prod", "https://argocd.example.org")));
    }

    @Test
    void setImageKeepsEveryArgument() throws Exception {
        GitopsSetImageStep step = everySetImageArgument();
        assertSetsEveryArgument(step);
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    void pushKeepsEveryArgument() throws Exception {
        GitopsPushStep step = everyPushArgument();
        assertSetsEveryArgument(step);
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    void syncKeepsEveryArgument() throws Exception {
        GitopsSyncStep step = everySyncArgument();
        assertSetsEveryArgument(step);
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    void rollbackKeepsEveryArgument() throws Exception {
        GitopsRollbackStep step = everyRollbackArgument();
        assertSetsEveryArgument(step);
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    void buildStepsKeepEveryArgumentOfTheStepTheyHold() throws Exception {
        GitopsSetImageBuilder setImage = new GitopsSetImageBuilder(everySetImageArgument());
        GitopsPushBuilder push = new GitopsPushBuilder(everyPushArgument());
        GitopsSyncBuilder sync = new GitopsSyncBuilder(everySyncArgument());
        GitopsRollbackBuilder rollback = new GitopsRollbackBuilder(everyRollbackArgument());
        assertSetsEveryArgument(setImage.getSetImage());
        assertSetsEveryArgument(push.getPush());
        assertSetsEveryArgument(sync.getSync());
        assertSetsEveryArgument(rollback.getRollback());

        j.assertEqualDataBoundBeans(setImage, j.configRoundtrip(setImage));
        j.assertEqualDataBoundBeans(push, j.configRoundtrip(push));
        j.assertEqualDataBoundBeans(sync, j.configRoundtrip(sync));
        j.assertEqualDataBoundBeans(rollback, j.configRoundtrip(rollback));
    }

    @Test
    void buildStepsExpandBuildVariablesInEveryStringArgument() throws Exception {
        for (Object step : List.of(everySetImageArgument(), everyPushArgument(), everySyncArgument(),
                everyRollbackArgument())) {
            assertSetsEveryArgument(step);
            assertExpandsEveryStringArgument(step);
        }
    }

    /**
     * Configured with a build variable in place of each of its string arguments, {@code step} expands to itself, and
     * the configured step is left as it is.
     */
    private <S> void assertExpandsEveryStringArgument(S step) throws Exception {
        @SuppressWarnings("unchecked")
        DescribableModel<S> model = DescribableModel.of((Class<S>) step.getClass());
        Map<String, Object> withVariables = new LinkedHashMap<>();
        Map<String, String> variables = new LinkedHashMap<>();
        model.uninstantiate2(step).getArguments().forEach((name, value) -> {
            if (value instanceof String text) {
                variables.put("V_" + name, text);
                withVariables.put(name, "${V_" + name + "}");
            } else {
                withVariables.put(name, value);
            }
        });
        assertThat(variables).as("string arguments of %s", step.getClass().getSimpleName()).isNotEmpty();
        S configured = model.instantiate(withVariables, TaskListener.NULL);

        S expanded = BuildVariables.expanded(configured, new EnvVars(variables), TaskListener.NULL);

        j.assertEqualDataBoundBeans(step, expanded);
        assertThat(model.uninstantiate2(configured).getArguments()).as("the configured step is left as it is")
                .isEqualTo(withVariables);
    }

    private static GitopsSetImageStep everySetImageArgument() {
        GitopsSetImageStep step = new GitopsSetImageStep("registry.example.com/guestbook");
        step.setTag("1.4.2");
        step.setDigest("sha256:" + "a".repeat(64));
        step.setNewName("registry.example.com/guestbook-v2");
        step.setRepo("https://git.example.com/platform/config.git");
        step.setCredentialsId("config-repo");
        step.setBranch("release");
        step.setDepth(5);
        step.setDir("config");
        step.setPath("apps/guestbook/overlays/prod");
        step.setKind("helm-values");
        step.setKey("image.tag");
        step.setHelmKey("backend.image");
        step.setArgocdSource("guestbook");
        step.setWriteBack("argocd");
        step.setApp("guestbook");
        step.setServer("prod");
        step.setKubeconfigCredentialsId("kubeconfig");
        step.setKubernetes(true);
        step.setNamespace("team-a");
        step.setStrategy("newest-build");
        step.setConstraint("^1.4");
        step.setAllowTags("regexp:^1\\.");
        step.setIgnoreTags("latest, *-rc*");
        step.setPinDigest(true);
        step.setPlatform("linux/amd64, linux/arm64/v8");
        step.setRegistryCredentialsId("ghcr");
        step.setInsecureRegistries("127.0.0.1:5000");
        return step;
    }

    private static GitopsPushStep everyPushArgument() {
        GitopsPushStep step = new GitopsPushStep();
        step.setDir("config");
        step.setRepo("https://git.example.com/platform/config.git");
        step.setCredentialsId("config-repo");
        step.setBranch("deploy/guestbook");
        step.setMessage("Deploy ${image} ${newVersion}");
        step.setAuthorName("Release Bot");
        step.setAuthorEmail("release@example.com");
        step.setAttempts(4);
        step.setPullRequest(true);
        step.setPullRequestCredentialsId("github-token");
        step.setProvider("github");
        step.setApiUrl("https://github.example.com/api/v3");
        step.setPullRequestBranch("gitops/${base}/${app}");
        step.setTitle("Deploy ${image} ${newVersion}");
        step.setBody("${changes}");
        step.setLabels("deploy, gitops");
        step.setDraft(true);
        step.setWaitForMerge("30m");
        return step;
    }

    private static GitopsSyncStep everySyncArgument() {
        GitopsSyncStep step = new GitopsSyncStep("guestbook");
        step.setServer("prod");
        step.setUrl("https://argocd.staging.example.org");
        step.setCredentialsId("argocd-token");
        step.setKubeconfigCredentialsId("kubeconfig");
        step.setKubernetes(true);
        step.setNamespace("team-a");
        step.setProject("payments");
        step.setRevision("4f1c2a9be0d3c5f6a7b8c9d0e1f2a3b4c5d6e7f8");
        step.setTimeout(300);
        step.setPrune(true);
        step.setDryRun(true);
        step.setSyncOptions("CreateNamespace=true");
        step.setSyncMode("always");
        step.setHealth("Healthy,Suspended");
        step.setTerminateOnAbort(true);
        step.setTerminateOnTimeout(true);
        step.setWaitForApp("5m");
        return step;
    }

    private static GitopsRollbackStep everyRollbackArgument() {
        GitopsRollbackStep step = new GitopsRollbackStep("registry.example.com/guestbook");
        step.setTo("1.4.2");
        step.setSync(false);
        step.setApp("guestbook");
        step.setServer("prod");
        step.setKubeconfigCredentialsId("kubeconfig");
        step.setKubernetes(true);
        step.setNamespace("team-a");
        step.setRepo("https://git.example.com/platform/config.git");
        step.setCredentialsId("config-repo");
        step.setPath("apps/guestbook/overlays/prod");
        step.setBranch("release");
        step.setTimeout(300);
        step.setAttempts(4);
        return step;
    }

    /** Every data-bound argument of {@code bean} is set to a value other than its default. */
    private static void assertSetsEveryArgument(Object bean) {
        List<String> all = DescribableModel.of(bean.getClass()).getParameters().stream()
                .map(DescribableParameter::getName)
                .toList();
        assertThat(DescribableModel.uninstantiate2_(bean).getArguments().keySet())
                .as("arguments of %s set to a value other than the default", bean.getClass().getSimpleName())
                .containsExactlyInAnyOrderElementsOf(all);
    }
}
