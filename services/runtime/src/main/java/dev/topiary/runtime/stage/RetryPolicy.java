package dev.topiary.runtime.stage;

import java.time.Duration;

/**
 * How long a stage keeps trying an input that failed for a reason outside it (a {@link
 * FailureKind#TRANSIENT} fault): up to {@code maxRetries} more attempts, waiting {@code
 * firstBackoff} and then twice as long each time, never more than {@code maxBackoff}. An
 * out-of-memory error is retried once whatever {@code maxRetries} says.
 *
 * <p>The default (8 retries, 1 s doubling to at most 60 s) waits a little over three minutes in
 * all: long enough for a broker restart or a remounted volume, short enough that a lasting fault
 * surfaces as dead letters the same hour.
 */
public record RetryPolicy(int maxRetries, Duration firstBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be at least 0, not " + maxRetries);
        }
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("backoff must grow from " + firstBackoff + " to at most " + maxBackoff);
        }
    }

    public RetryPolicy withMaxRetries(int retries) {
        return new RetryPolicy(retries, firstBackoff, maxBackoff);
    }

    /** How many retries an input that fails this way gets. */
    public int limit(FailureKind kind) {
        return switch (kind) {
            case TRANSIENT -> maxRetries;
            case OUT_OF_MEMORY -> 1;
            case BAD_INPUT, OUTSIDE_STORE -> 0;
        };
    }

    /** Whether an input that failed this way after {@code retriesSoFar} retries is tried again. */
    public boolean retries(FailureKind kind, int retriesSoFar) {
        return retriesSoFar < limit(kind);
    }

    /** The wait before retry number {@code retry} (0 for the first). */
    public Duration backoff(int retry) {
        Duration d = firstBackoff;
        for (int i = 0; i < retry && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
