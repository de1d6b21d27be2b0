package io.jenkins.plugins.gitops.core.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import io.jenkins.plugins.gitops.core.testing.forge.OpenApiDescriptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fakes' contract checks catch a client that sends what the real service would ignore or refuse. */
class ForgeContractTest {

    /** A creation request with the branch under a misspelt name, as each provider's client would write it. */
    private static final Map<Forges, String[]> WRONG_CREATE = Map.of(
            Forges.GITHUB, new String[] {"/repos/example-org/config/pulls", "{\"title\":\"t\",\"head_branch\":\"x\",\"base\":\"main\"}"},
            Forges.GITLAB, new String[] {"/projects/example-org%2Fconfig/merge_requests", "{\"title\":\"t\",\"source\":\"x\",\"target_branch\":\"main\"}"},
            Forges.GITEA, new String[] {"/repos/example-org/config/pulls", "{\"title\":\"t\",\"head\":\"x\",\"base\":\"main\",\"labels\":[\"gitops\"]}"});

    @ParameterizedTest
    @EnumSource(Forges.class)
    void aRequestBodyTheDescriptionDoesNotAllowIsRefusedAndRecorded(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            assumeTrue(fake.validates(), OpenApiDescriptions::gitHubMissing);
            fake.expectContractViolations();
            String[] wrong = WRONG_CREATE.get(forge);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.apiUrl() + wrong[0]))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(wrong[1]));
            switch (forge) {
                case GITHUB -> request.header("Authorization", "Bearer " + FakeForge.TOKEN);
                case GITLAB -> request.header("PRIVATE-TOKEN", FakeForge.TOKEN);
                case GITEA -> request.header("Authorization", "token " + FakeForge.TOKEN);
            }

            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isIn(400, 422);
            assertThat(fake.pulls()).isEmpty();
            assertThat(fake.contractViolations()).isNotEmpty().allSatisfy(violation -> assertThat(violation).containsAnyOf(
                    "unknown property 'head_branch'", "missing required property 'head'",
                    "unknown property 'source'", "missing required property 'source_branch'",
                    "/labels/0': expected an integer"));
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void theClientsCallsPassTheChecks(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            PullRequestApi api = forge.connect(fake);
            PullRequestSpec spec = new PullRequestSpec("gitops/main/app", "main", "Update app", "body", java.util.List.of("gitops"), true);

            PullRequestApi.Upserted created = PullRequestApi.join(api.upsert(spec));
            PullRequestApi.Upserted reused = PullRequestApi.join(api.upsert(spec));
            PullRequest read = PullRequestApi.join(api.get(created.pullRequest().number()));

            assertThat(created.created()).isTrue();
            assertThat(reused.created()).isFalse();
            assertThat(read.number()).isEqualTo(created.pullRequest().number());
            assertThat(read.title()).endsWith("Update app");
            assertThat(fake.pull(read.number()).draft()).isTrue();
            assertThat(fake.contractViolations()).isEmpty();
        }
    }
}
