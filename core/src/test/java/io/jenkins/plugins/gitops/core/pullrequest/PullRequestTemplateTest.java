package io.jenkins.plugins.gitops.core.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.git.ValueChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PullRequestTemplateTest {

    @Test
    void theDefaultBranchDropsAnEmptyAppAndKeepsTheImagesLastSegment() {
        String branch = PullRequestTemplate.DEFAULT_BRANCH.renderBranch(Map.of(
                "base", "main", "app", "", "image", "registry.example.test:5000/team/guestbook"));

        assertThat(branch).isEqualTo("gitops/main/guestbook");
    }

    @Test
    void valuesGitWouldRefuseInARefAreMadeSafe() {
        String branch = new PullRequestTemplate("deploy/${app}/${newVersion}").renderBranch(Map.of(
                "app", "my app:..prod", "newVersion", "1.5.0@sha256:abc"));

        assertThat(branch).isEqualTo("deploy/my-app-.prod/1.5.0-sha256-abc");
    }

    @Test
    void aTemplateThatRendersToNothingIsABadInput() {
        assertThatThrownBy(() -> new PullRequestTemplate("${app}").renderBranch(Map.of()))
                .isInstanceOfSatisfying(PullRequestException.class, e -> assertThat(e.kind()).isEqualTo(PullRequestException.Kind.BAD_INPUT));
    }

    @Test
    void anUnknownVariableIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> new PullRequestTemplate("Update ${imgae}"))
                .isInstanceOfSatisfying(PullRequestException.class, e -> assertThat(e.getMessage()).contains("${imgae}", "image", "changes"));
    }

    @Test
    void theChangesTableEscapesPipesAndShowsAdditionsAndRemovals() {
        String table = PullRequestTemplate.changesTable(List.of(
                new ValueChange("apps/a|b/values.yaml", "ghcr.io/x/app", "", "1.0"),
                new ValueChange("apps/c/kustomization.yaml", "ghcr.io/x/app", "0.9", "")));

        assertThat(table).isEqualTo("""
                | File | Image | Old → New |
                | --- | --- | --- |
                | `apps/a\\|b/values.yaml` | ghcr.io/x/app | (none) → `1.0` |
                | `apps/c/kustomization.yaml` | ghcr.io/x/app | `0.9` → (removed) |""");
    }
}
