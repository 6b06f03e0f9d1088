package dev.topiary.registry.stream;

import dev.topiary.registry.RegistryTopics;
import dev.topiary.registry.state.RegistryState;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The registry's Kafka Streams topology. One partitioned sub-topology, run exactly once across all
 * instances, reads every watched topic and writes the registry's records of what it found to the
 * registry's compacted topics ({@link Ingest}). Each of those topics, and the aliases topic, feeds a
 * global RocksDB store on every instance: the topic is the store's changelog, so a restarted
 * instance restores from its local store and the topic's tail, and every instance answers for
 * every key without asking another.
 */
public final class RegistryTopology {
    public static final String VERSIONS_STORE = "registry-versions";
    public static final String DEAD_LETTERS_STORE = "registry-deadletters";
    public static final String PROGRESS_STORE = "registry-progress";
    public static final String ALIASES_STORE = "registry-aliases";
    /** How many global stores must load before the state is complete. */
    public static final int STORES = 4;

    static final String VERSIONS_SINK = "versions-sink";
    static final String DEAD_LETTERS_SINK = "deadletters-sink";
    static final String PROGRESS_SINK = "progress-sink";

    private RegistryTopology() {}

    /**
     * @param watched the topics to register (see {@link RegistryTopics#watched})
     * @param loaded told by each global store when its contents are in {@code state}
     */
    public static Topology build(RegistryTopics topics, Pattern watched, RegistryState state, StoresLoaded loaded) {
        Topology t = new Topology();
        t.addSource(AutoOffsetReset.earliest(), "watched", new StringDeserializer(), new ByteArrayDeserializer(), watched);
        t.addProcessor("ingest", () -> new Ingest(topics), "watched");
        t.addSink(VERSIONS_SINK, topics.versions().name(), new StringSerializer(), new ByteArraySerializer(), "ingest");
        t.addSink(DEAD_LETTERS_SINK, topics.deadLetters().name(), new StringSerializer(), new ByteArraySerializer(), "ingest");
        t.addSink(PROGRESS_SINK, topics.progress().name(), new StringSerializer(), new ByteArraySerializer(), "ingest");

        global(t, VERSIONS_STORE, topics.versions().name(), StateTables.versions(topics, state), loaded);
        global(t, DEAD_LETTERS_STORE, topics.deadLetters().name(), StateTables.deadLetters(topics, state), loaded);
        global(t, PROGRESS_STORE, topics.progress().name(), StateTables.progress(topics, state), loaded);
        global(t, ALIASES_STORE, topics.aliases().name(), StateTables.aliases(topics, state), loaded);
        return t;
    }

    private static void global(Topology t, String store, String topic, Table table, StoresLoaded loaded) {
        // a global store's topic is its changelog: Kafka Streams requires logging off for it
        StoreBuilder<KeyValueStore<String, byte[]>> builder = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled();
        t.addGlobalStore(builder, store + "-source", new StringDeserializer(), new ByteArrayDeserializer(), topic,
                store + "-feed", () -> new StoreFeed(store, table, () -> loaded.loaded(store)));
    }
}
