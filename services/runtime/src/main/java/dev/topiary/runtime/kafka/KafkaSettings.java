package dev.topiary.runtime.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How to reach the cluster: a bootstrap address plus any Kafka client settings the user passes
 * through (TLS, SASL, timeouts). Passed-through settings override Topiary's defaults, except the
 * few that exactly-once depends on (isolation level, transactions, auto-commit), which are fixed.
 */
public final class KafkaSettings {
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    private final String bootstrap;
    private final Map<String, Object> passThrough;

    public KafkaSettings(String bootstrap, Map<String, Object> passThrough) {
        this.bootstrap = bootstrap;
        this.passThrough = Map.copyOf(passThrough);
    }

    public static KafkaSettings of(String bootstrap) {
        return new KafkaSettings(bootstrap, Map.of());
    }

    /** Reads a client properties file (e.g. {@code security.protocol=SSL}); null means none. */
    public static KafkaSettings of(String bootstrap, Path clientProperties) {
        if (clientProperties == null) {
            return of(bootstrap);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(clientProperties)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Kafka client settings " + clientProperties + ": " + e.getMessage(), e);
        }
        Map<String, Object> map = new HashMap<>();
        p.forEach((k, v) -> map.put(k.toString(), v));
        return new KafkaSettings(bootstrap, map);
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** A copy with more pass-through settings (later ones win). */
    public KafkaSettings with(Map<String, Object> more) {
        Map<String, Object> merged = new HashMap<>(passThrough);
        merged.putAll(more);
        return new KafkaSettings(bootstrap, merged);
    }

    public Map<String, Object> admin() {
        Map<String, Object> m = base();
        m.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        return m;
    }

    /** A transactional producer whose transactions are short (see {@link TransactionTimeouts}). */
    public Map<String, Object> transactionalProducer(String transactionalId) {
        return transactionalProducer(transactionalId, TransactionTimeouts.DEFAULT);
    }

    public Map<String, Object> transactionalProducer(String transactionalId, Duration transactionTimeout) {
        Map<String, Object> m = producerBase();
        m.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        m.put(ProducerConfig.ACKS_CONFIG, "all");
        return m;
    }

    /** For fire-and-forget side channels such as progress heartbeats. */
    public Map<String, Object> plainProducer() {
        Map<String, Object> m = producerBase();
        m.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        return m;
    }

    public Map<String, Object> readCommittedConsumer(String groupId) {
        Map<String, Object> m = base();
        m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        m.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (groupId != null) {
            m.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return m;
    }

    /** For readers that pick partitions themselves (artifact fetches, watch, pull). */
    public Map<String, Object> assignedConsumer() {
        Map<String, Object> m = readCommittedConsumer(null);
        m.remove(ConsumerConfig.GROUP_ID_CONFIG);
        m.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
        // these readers want what is there now: with the default 500 ms a closing consumer waits for
        // its next, empty fetch, which made every artifact fetch take over half a second
        m.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        return m;
    }

    private Map<String, Object> producerBase() {
        Map<String, Object> m = base();
        m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        m.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        return m;
    }

    private Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>(passThrough);
        m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return m;
    }
}
