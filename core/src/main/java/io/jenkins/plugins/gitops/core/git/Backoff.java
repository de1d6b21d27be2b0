package io.jenkins.plugins.gitops.core.git;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential backoff between push attempts: the n-th wait is a uniformly random duration between zero
 * and {@code min(max, initial * 2^(n-1))} ("full jitter"), so that pushers that collided once spread out over a
 * growing window instead of colliding again.
 */
public record Backoff(Duration initial, Duration max, RandomGenerator random, Sleeper sleeper) {

    /** Waits; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(8);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(sleeper, "sleeper");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 <= initial <= max, got " + initial + " and " + max);
        }
    }

    public static Backoff defaults() {
        return new Backoff(DEFAULT_INITIAL, DEFAULT_MAX, RandomGenerator.of("L64X128MixRandom"), d -> Thread.sleep(d.toMillis()));
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delay(int retry) {
        long ceiling = initial.toMillis();
        for (int i = 1; i < retry && ceiling < max.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, max.toMillis());
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    void pause(int retry) {
        try {
            sleeper.sleep(delay(retry));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Interrupted while waiting to retry the push.");
        }
    }
}
