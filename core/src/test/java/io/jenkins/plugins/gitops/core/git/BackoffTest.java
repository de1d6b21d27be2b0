package io.jenkins.plugins.gitops.core.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final List<Duration> slept = new ArrayList<>();

    @Test
    void waitsGrowExponentiallyUpToTheCapWithJitterBelowTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), RandomGenerator.of("L64X128MixRandom"), slept::add);

        for (int retry = 1; retry <= 8; retry++) {
            long ceiling = Math.min(1000, 100L << (retry - 1));
            long longest = 0;
            for (int sample = 0; sample < 50; sample++) {
                long wait = backoff.delay(retry).toMillis();
                assertThat(wait).isBetween(0L, ceiling);
                longest = Math.max(longest, wait);
            }
            // The window itself grows: 50 draws all in its lower half would happen once in 2^50.
            assertThat(longest).as("longest of 50 waits at retry %d", retry).isGreaterThan(ceiling / 2);
        }
    }

    @Test
    void jitterSpreadsWaitsOverTheWholeWindow() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(8000), RandomGenerator.of("L64X128MixRandom"), slept::add);

        List<Long> waits = new ArrayList<>();
        for (int sample = 0; sample < 200; sample++) {
            waits.add(backoff.delay(6).toMillis()); // window 0..3200 ms
        }
        assertThat(waits).anyMatch(w -> w < 800).anyMatch(w -> w > 2400);
    }

    @Test
    void aSlowLastAttemptWidensTheWindow() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), RandomGenerator.of("L64X128MixRandom"), slept::add);

        List<Long> waits = new ArrayList<>();
        for (int sample = 0; sample < 200; sample++) {
            waits.add(backoff.delay(2, Duration.ofSeconds(3)).toMillis()); // window 0..6000 ms instead of 0..200
        }
        assertThat(waits).allMatch(w -> w <= 6000).anyMatch(w -> w > 3000);
        assertThat(backoff.delay(10, Duration.ofMinutes(5))).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void pauseUsesTheInjectedSleeper() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), RandomGenerator.of("L64X128MixRandom"), slept::add);

        backoff.pause(3, Duration.ZERO);

        assertThat(slept).hasSize(1);
        assertThat(slept.get(0)).isLessThanOrEqualTo(Duration.ofMillis(10));
    }
}
