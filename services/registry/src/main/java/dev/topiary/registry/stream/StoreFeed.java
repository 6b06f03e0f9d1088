package dev.topiary.registry.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one global store and the in-memory {@link Table} built on it in step. Kafka Streams
 * restores a global store by copying its topic's records into it without this processor, so the
 * table is loaded from the store when the processor starts, and follows each record after that.
 * The processor stores every record as it came, as restoration would.
 */
final class StoreFeed implements Processor<String, byte[], Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(StoreFeed.class);

    private final String storeName;
    private final Table table;
    private final Runnable loaded;
    private KeyValueStore<String, byte[]> store;

    StoreFeed(String storeName, Table table, Runnable loaded) {
        this.storeName = storeName;
        this.table = table;
        this.loaded = loaded;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        int count = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var kv = all.next();
                apply(kv.key, kv.value, false);
                count++;
            }
        }
        log.info("registry store {}: {} entries loaded", storeName, count);
        loaded.run();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        apply(record.key(), record.value(), true);
    }

    private void apply(String key, byte[] value, boolean live) {
        try {
            if (value == null) {
                table.remove(key);
            } else {
                table.put(key, value, live);
            }
        } catch (RuntimeException e) {
            // one bad entry must not stop the registry's global thread; the store keeps it for inspection
            log.warn("registry store {}: skipping entry {}: {}", storeName, key, e.toString());
        }
    }
}
