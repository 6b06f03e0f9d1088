package dev.topiary.gatherer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A record's bytes and the topic they go to, for the one sink that writes sets, dead letters and
 * heartbeats alike. Only the bytes are written.
 *
 * @param topic where to write; null for an arrival that goes on to be gathered
 */
record Routed(String topic, byte[] bytes) {
    /** Writes the bytes alone. */
    static final Serde<Routed> SERDE = Serdes.serdeFrom((topic, r) -> r == null ? null : r.bytes(),
            (topic, bytes) -> new Routed(topic, bytes));

    /** The sink's topic is the record's own. */
    static final TopicNameExtractor<String, Routed> TOPIC = (key, value, context) -> value.topic();
}
