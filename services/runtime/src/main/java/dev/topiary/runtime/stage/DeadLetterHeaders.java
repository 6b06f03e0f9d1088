package dev.topiary.runtime.stage;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers a dead letter carries beside the original record's key, value and headers: the
 * public contract of a {@code <input>.dlt} topic, read by {@code topiary deadletters} and by any
 * tool of the user's own.
 */
public final class DeadLetterHeaders {
    /** {@code PIPELINE/STAGE} that refused the input. */
    public static final String STAGE = "topiary.stage";
    /** Why: the last error's message. */
    public static final String ERROR = "topiary.error";
    /** The last error's Java class. */
    public static final String ERROR_CLASS = "topiary.error.class";
    /** The kind of failure: {@code bad-input}, {@code outside-store}, {@code transient}, {@code out-of-memory}. */
    public static final String FAILURE = "topiary.failure";
    /** How many times the input was retried before it was parked. */
    public static final String RETRIES = "topiary.retries";
    public static final String SOURCE_TOPIC = "topiary.source.topic";
    public static final String SOURCE_PARTITION = "topiary.source.partition";
    public static final String SOURCE_OFFSET = "topiary.source.offset";

    private DeadLetterHeaders() {}

    /** Whether the header is one the stage runner adds, as opposed to one of the original record's. */
    public static boolean isAdded(String name) {
        return switch (name) {
            case STAGE, ERROR, ERROR_CLASS, FAILURE, RETRIES, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET -> true;
            default -> false;
        };
    }

    /** The last value of {@code name} as text, or null. */
    public static String get(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
