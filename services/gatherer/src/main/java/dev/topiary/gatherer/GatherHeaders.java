package dev.topiary.gatherer;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers the gatherer reads and writes: its own, on arrivals between its two steps, and the
 * dead-letter headers every Topiary stage writes (stage, error, where the record came from).
 */
final class GatherHeaders {
    /** {@code member} or {@code failure}, on an arrival. */
    static final String ARRIVAL = "topiary.gather.arrival";
    static final String MEMBER = "member";
    static final String FAILURE = "failure";
    /** On a failure: the id the job's version would have had, and why its job was dead-lettered. */
    static final String FAILED_ID = "topiary.gather.failed.id";
    static final String FAILED_REASON = "topiary.gather.failed.reason";

    static final String STAGE = "topiary.stage";
    static final String ERROR = "topiary.error";
    static final String ERROR_CLASS = "topiary.error.class";
    static final String SOURCE_TOPIC = "topiary.source.topic";
    static final String SOURCE_PARTITION = "topiary.source.partition";
    static final String SOURCE_OFFSET = "topiary.source.offset";
    /** The member's own record key, to dead-letter it under. */
    static final String SOURCE_KEY = "topiary.source.key";

    private GatherHeaders() {}

    static void put(org.apache.kafka.common.header.Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static String get(org.apache.kafka.common.header.Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Dead-letter headers for a record refused by the gatherer of {@code stage}, read at {@code topic/partition@offset}. */
    static RecordHeaders deadLetter(String stage, String reason, String topic, int partition, long offset) {
        RecordHeaders h = new RecordHeaders();
        put(h, STAGE, stage + " (gather)");
        put(h, ERROR, reason);
        put(h, ERROR_CLASS, "");
        put(h, SOURCE_TOPIC, topic);
        put(h, SOURCE_PARTITION, String.valueOf(partition));
        put(h, SOURCE_OFFSET, String.valueOf(offset));
        return h;
    }
}
