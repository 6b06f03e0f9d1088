package dev.topiary.gatherer;

import dev.topiary.runtime.stage.DeadLetterHeaders;
import dev.topiary.runtime.stage.FailureKind;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers the gatherer carries on arrivals between its two steps (where each came from,
 * whether it is a member or a failed job), and the dead-letter headers it writes, the same as the
 * stage runner's ({@link DeadLetterHeaders}), so {@code topiary deadletters} lists and replays them.
 */
final class GatherHeaders {
    /** {@code member} or {@code failure}, on an arrival. */
    static final String ARRIVAL = "topiary.gather.arrival";
    static final String MEMBER = "member";
    static final String FAILURE = "failure";
    /** On a failure: the id the job's version would have had, and why its job was dead-lettered. */
    static final String FAILED_ID = "topiary.gather.failed.id";
    static final String FAILED_REASON = "topiary.gather.failed.reason";
    /** The member's own record key, to dead-letter it under. */
    static final String SOURCE_KEY = "topiary.source.key";

    private GatherHeaders() {}

    static void put(Headers headers, String name, String value) {
        DeadLetterHeaders.put(headers, name, value);
    }

    static String get(Headers headers, String name) {
        return DeadLetterHeaders.get(headers, name);
    }

    /** Dead-letter headers for a record refused by the gatherer of {@code stage}, read at {@code topic/partition@offset}. */
    static RecordHeaders deadLetter(String stage, String reason, String topic, int partition, long offset) {
        RecordHeaders h = new RecordHeaders();
        put(h, DeadLetterHeaders.STAGE, stage + " (gather)");
        put(h, DeadLetterHeaders.ERROR, reason);
        put(h, DeadLetterHeaders.ERROR_CLASS, "");
        put(h, DeadLetterHeaders.FAILURE, FailureKind.BAD_INPUT.label());
        put(h, DeadLetterHeaders.RETRIES, "0");
        put(h, DeadLetterHeaders.SOURCE_TOPIC, topic);
        put(h, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(partition));
        put(h, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(offset));
        return h;
    }
}
