package io.jenkins.plugins.gitops.core.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitops.core.testing.forge.FakeForge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Refused tokens, rate limits and missing repositories: clear errors that never hold the token. */
class ApiFailuresTest {

    private static final String WRONG_TOKEN = "ghp_wrongTokenAbcdef0123456789";

    @ParameterizedTest
    @EnumSource(Forges.class)
    void aWrongTokenFailsWithAnAuthenticationErrorThatDoesNotHoldTheToken(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            PullRequestApi api = forge.connect(fake, WRONG_TOKEN, PullRequestApi.Settings.defaults());

            assertThatThrownBy(() -> PullRequestApi.join(api.findOpen("gitops/x", "main")))
                    .isInstanceOfSatisfying(PullRequestException.class, e -> {
                        assertThat(e.kind()).isEqualTo(PullRequestException.Kind.AUTHENTICATION);
                        assertThat(e.getMessage()).contains("refused the token", "401").doesNotContain(WRONG_TOKEN);
                    });
            assertThat(fake.calls()).allSatisfy(call -> assertThat(call.toString()).doesNotContain(WRONG_TOKEN));
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void aRateLimitThatResetsSoonIsWaitedOut(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            long reset = Instant.now().getEpochSecond();
            fake.rateLimitNext(1, forge == Forges.GITHUB ? 403 : 429, forge == Forges.GITLAB
                    ? Map.of("RateLimit-Remaining", "0", "RateLimit-Reset", Long.toString(reset))
                    : Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset)));

            assertThat(PullRequestApi.join(forge.connect(fake).findOpen("gitops/x", "main"))).isEmpty();

            assertThat(fake.calls()).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void aRateLimitThatResetsLaterThanTheWaitAllowsFailsNamingTheResetTime(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), java.time.ZoneOffset.UTC);
            fake.rateLimitNext(1, 429, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset",
                    Long.toString(Instant.parse("2026-12-07T12:30:00Z").getEpochSecond())));
            PullRequestApi api = forge.connect(fake, FakeForge.TOKEN,
                    new PullRequestApi.Settings(Duration.ofSeconds(30), Duration.ofSeconds(60), clock));

            assertThatThrownBy(() -> PullRequestApi.join(api.findOpen("gitops/x", "main")))
                    .isInstanceOfSatisfying(PullRequestException.class, e -> {
                        assertThat(e.kind()).isEqualTo(PullRequestException.Kind.RATE_LIMITED);
                        assertThat(e.getMessage()).contains("rate limit", "2026-12-07T12:30:01Z", "60 s").doesNotContain(FakeForge.TOKEN);
                    });
            assertThat(fake.calls()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void aRetryAfterAnswerIsWaitedOut(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            fake.rateLimitNext(2, 429, Map.of("Retry-After", "0"));

            PullRequestApi.join(forge.connect(fake).findOpen("gitops/x", "main"));

            assertThat(fake.calls()).hasSize(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Forges.class)
    void anUnknownPullRequestIsNotFound(Forges forge) throws Exception {
        try (FakeForge fake = forge.start()) {
            assertThatThrownBy(() -> PullRequestApi.join(forge.connect(fake).get(404)))
                    .isInstanceOfSatisfying(PullRequestException.class, e -> assertThat(e.kind()).isEqualTo(PullRequestException.Kind.NOT_FOUND));
        }
    }
}
