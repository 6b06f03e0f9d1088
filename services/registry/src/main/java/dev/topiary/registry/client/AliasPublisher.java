package dev.topiary.registry.client;

import dev.topiary.events.Alias;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.kafka.Topics;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sets and removes aliases ({@code topiary promote VERSION --as production}): an {@link Alias}
 * event keyed by the name on the compacted {@link Topics#ALIASES} topic, so the latest one per name
 * is what the name means. Any Kafka client allowed to write that topic may do the same.
 */
public final class AliasPublisher implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,99}");

    private final KafkaProducer<String, byte[]> producer;

    public AliasPublisher(KafkaSettings settings) {
        try (TopicAdmin admin = new TopicAdmin(settings)) {
            admin.ensureCompacted(List.of(Topics.ALIASES.name()));
        }
        var config = settings.plainProducer();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(config);
    }

    /** Refuses a name that could be mistaken for a version id or would not survive a URL. */
    public static void checkName(String name) {
        if (!NAME.matcher(name).matches() || name.startsWith("v-")) {
            throw new IllegalArgumentException("alias '" + name + "' must start with a lower-case letter, hold only"
                    + " lower-case letters, digits, '.', '_' and '-', and not start with 'v-' (version ids do)");
        }
    }

    public Alias promote(String name, String versionId, String lineage, String by) {
        checkName(name);
        Alias alias = new Alias(name, versionId, lineage, Instant.now(), by);
        send(Topics.ALIASES.record(alias));
        return alias;
    }

    /** Removes the name (a tombstone). */
    public void remove(String name) {
        checkName(name);
        send(new ProducerRecord<>(Topics.ALIASES.name(), name, null));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write alias to " + Topics.ALIASES.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing an alias", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
