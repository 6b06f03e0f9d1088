package dev.topiary.runtime.kafka;

import java.time.Duration;

/**
 * How long the broker lets a Topiary transaction stay open before it aborts it. A crashed
 * process's open transaction holds back every read_committed reader of the partitions it wrote
 * until then, so the timeout is short: Topiary's transactions span only the commit of finished
 * work (artifact chunks, one event, offsets), not the work. Kafka's own default, 60 s, would make
 * readers wait a minute after every crash.
 *
 * <p>Writing a large artifact into the transaction takes longer, so a commit of more than 64 MiB
 * gets a second more for every 16 MiB (a write rate well below what one broker sustains), rather
 * than being aborted half-way and retried for ever; a crash inside such a commit costs readers
 * that much longer. A {@code transaction.timeout.ms} in the user's Kafka settings wins over both.
 */
public final class TransactionTimeouts {
    public static final Duration DEFAULT = Duration.ofSeconds(10);
    private static final long SMALL_BYTES = 64L << 20;
    private static final long BYTES_PER_SECOND = 16L << 20;

    private TransactionTimeouts() {}

    /** The timeout for a transaction that writes an artifact of {@code bytes}. */
    public static Duration forArtifact(long bytes) {
        if (bytes <= SMALL_BYTES) {
            return DEFAULT;
        }
        return DEFAULT.plusSeconds((bytes + BYTES_PER_SECOND - 1) / BYTES_PER_SECOND);
    }
}
