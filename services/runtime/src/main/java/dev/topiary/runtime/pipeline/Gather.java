package dev.topiary.runtime.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * A stage's {@code gather}: its input is not each version arriving on its {@code from} topics but
 * sets of them. The gatherer (a Kafka Streams service) groups the arriving versions by
 * {@link GroupBy}, emits a set once {@code count} have arrived, or, when {@code within} has passed
 * since the first or upstream matrix jobs failed, a partial set of at least {@code min}; with fewer
 * it dead-letters the members. The stage then sees each set as one input with several parents.
 *
 * @param by     what members share
 * @param count  members a complete set has
 * @param within wall-clock time from a set's first member to give up waiting; null: wait for ever
 * @param min    the fewest members a partial set may have (1 to count; count when not set)
 */
public record Gather(GroupBy by, int count, Duration within, int min) {
    public Gather {
        Objects.requireNonNull(by, "by");
        if (count < 1) {
            throw new IllegalArgumentException("gather count must be at least 1, not " + count);
        }
        if (min < 1 || min > count) {
            throw new IllegalArgumentException("gather min must be from 1 to count (" + count + "), not " + min);
        }
        if (within != null && (within.isNegative() || within.isZero())) {
            throw new IllegalArgumentException("gather within must be a positive time, not " + within);
        }
    }
}
