package dev.topiary.gatherer;

import dev.topiary.runtime.kafka.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology of one stage's gatherer, built here alone so tests drive the same one with
 * {@code TopologyTestDriver}:
 * <pre>
 * from topics, failed-job topics ─► Arrivals (key by gather.by) ─┬─► dead letters (not a version, no key)
 *                                                                 └─► repartition by key ─► Gathering (stores) ─► sets, dead letters, heartbeats
 * </pre>
 * Records arrive keyed by lineage; the repartition brings every member of a set to one task, so
 * more instances share the sets by key.
 */
public final class GatherTopology {
    private GatherTopology() {}

    public static Topology build(GatherSpec spec) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Gathering.PENDING),
                Serdes.String(), Topics.MODEL_SETS));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Gathering.CLOSED),
                Serdes.String(), Topics.MODEL_SETS));
        Produced<String, Routed> routed = Produced.with(Serdes.String(), Routed.SERDE);

        KStream<String, Routed> arrivals = builder
                .stream(spec.sources(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("arrivals"))
                .process(() -> new Arrivals(spec), Named.as("key-by-set"));
        arrivals.filter((key, r) -> r.topic() != null, Named.as("refused-arrivals"))
                .to(Routed.TOPIC, routed.withName("dead-letter-arrivals"));
        arrivals.filter((key, r) -> r.topic() == null, Named.as("accepted-arrivals"))
                .mapValues(Routed::bytes, Named.as("arrival-bytes"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("by-set"))
                .process(() -> new Gathering(spec), Named.as("gather"), Gathering.PENDING, Gathering.CLOSED)
                .to(Routed.TOPIC, Produced.with(Serdes.String(), Routed.SERDE).withName("emit"));
        return builder.build();
    }
}
