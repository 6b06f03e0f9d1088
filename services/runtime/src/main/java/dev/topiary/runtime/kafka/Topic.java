package dev.topiary.runtime.kafka;

import dev.topiary.runtime.events.UndecodableEventException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic's name, what its record values are and how its records are keyed: everything a producer,
 * a consumer or a Kafka Streams application must agree on, in one place ({@link Topics}). Keys are
 * always text. Producers in Topiary send bytes (one transactional producer writes artifacts, events
 * and dead letters together), so {@link #record} serializes here rather than in the producer.
 *
 * <pre>{@code
 * producer.send(Topics.versions("models.pruned").record(version));    // keyed by lineage
 * builder.stream(t.name(), Consumed.with(t.keySerde(), t.valueSerde())); // in a Streams app
 * }</pre>
 *
 * @param keyOf the key a value is written under; null for a topic whose writer chooses each key
 */
public record Topic<V>(String name, Serde<V> valueSerde, Function<V, String> keyOf) {

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /** {@code value} keyed as this topic keys its records, ready for a {@code <String, byte[]>} producer. */
    public ProducerRecord<String, byte[]> record(V value) {
        if (keyOf == null) {
            throw new IllegalStateException("records of " + name + " have no key of their own; give one");
        }
        return new ProducerRecord<>(name, keyOf.apply(value), encode(value));
    }

    /** {@code value} under {@code key}, with headers (null for none). */
    public ProducerRecord<String, byte[]> record(String key, V value, Headers headers) {
        return new ProducerRecord<>(name, null, key, encode(value), headers);
    }

    public byte[] encode(V value) {
        return valueSerde.serializer().serialize(name, value);
    }

    /** A record value of this topic; throws {@link UndecodableEventException} saying why it is not one. */
    public V decode(byte[] bytes) {
        if (bytes == null) {
            throw new UndecodableEventException("record has no value (null)");
        }
        return valueSerde.deserializer().deserialize(name, bytes);
    }
}
