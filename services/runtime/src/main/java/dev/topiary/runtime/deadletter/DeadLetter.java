package dev.topiary.runtime.deadletter;

import dev.topiary.runtime.stage.DeadLetterHeaders;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One record of a dead-letter topic: the original record's key and value, and what the stage
 * runner said about it in its headers ({@link DeadLetterHeaders}).
 */
public record DeadLetter(String topic, int partition, long offset, Instant at, String key, byte[] value,
                         Headers headers) {

    public static DeadLetter of(ConsumerRecord<String, byte[]> r) {
        return new DeadLetter(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), r.key(),
                r.value(), r.headers());
    }

    /** {@code TOPIC/PARTITION/OFFSET} of the dead letter itself: what a replay is recorded under. */
    public String id() {
        return topic + "/" + partition + "/" + offset;
    }

    public String stage() {
        return header(DeadLetterHeaders.STAGE);
    }

    public String reason() {
        String error = header(DeadLetterHeaders.ERROR);
        return error == null ? "" : error;
    }

    /** The failure kind ({@code bad-input}, {@code transient}, ...), or null for dead letters of an older Topiary. */
    public String failure() {
        return header(DeadLetterHeaders.FAILURE);
    }

    public int retries() {
        String r = header(DeadLetterHeaders.RETRIES);
        try {
            return r == null ? 0 : Integer.parseInt(r);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The topic the record was refused on: where a replay republishes it. Null if the header is missing. */
    public String sourceTopic() {
        String t = header(DeadLetterHeaders.SOURCE_TOPIC);
        return t == null || t.isBlank() ? null : t;
    }

    /** {@code TOPIC/PARTITION@OFFSET} of the refused record. */
    public String source() {
        return sourceTopic() + "/" + header(DeadLetterHeaders.SOURCE_PARTITION) + "@" + header(DeadLetterHeaders.SOURCE_OFFSET);
    }

    /** The original record's own headers, without those the stage runner added. */
    public Headers originalHeaders() {
        Headers original = new RecordHeaders();
        headers.forEach(h -> {
            if (!DeadLetterHeaders.isAdded(h.key())) {
                original.add(h);
            }
        });
        return original;
    }

    private String header(String name) {
        return DeadLetterHeaders.get(headers, name);
    }
}
