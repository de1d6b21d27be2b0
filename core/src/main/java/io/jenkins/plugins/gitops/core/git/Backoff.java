package io.jenkins.plugins.gitops.core.git;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential backoff between push attempts: the n-th wait is a uniformly random duration between zero
 * and {@code min(max, base * 2^(n-1))} ("full jitter"), where {@code base} is the larger of {@code initial} and
 * how long the last attempt took. Pushers that collided spread out over a window that grows with the number of
 * collisions and with the length of an attempt (a slow server or a busy machine widens every attempt's
 * window of vulnerability, so the waits must widen too).
 */
public record Backoff(Duration initial, Duration max, RandomGenerator random, Sleeper sleeper) {

    /** Waits; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);

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
        return delay(retry, Duration.ZERO);
    }

    /** The wait before retry number {@code retry}, after an attempt that took {@code lastAttempt}. */
    public Duration delay(int retry, Duration lastAttempt) {
        long ceiling = Math.max(initial.toMillis(), Math.min(lastAttempt.toMillis(), max.toMillis()));
        for (int i = 1; i < retry && ceiling < max.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, max.toMillis());
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    void pause(int retry, Duration lastAttempt) {
        try {
            sleeper.sleep(delay(retry, lastAttempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitOperationException(GitOperationException.Kind.TRANSPORT, "Interrupted while waiting to retry the push.");
        }
    }
}
