package dev.topiary.runtime.client;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic's committed records without joining a consumer group: for watch, pull and tests,
 * which look at a topic rather than take a share of its work.
 */
public final class TopicReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration CREATION_WAIT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;

    public TopicReader(KafkaSettings settings) {
        this.consumer = new KafkaConsumer<>(settings.assignedConsumer());
    }

    /** Assigns every partition of {@code topic}, from the start or from its current end. */
    public void open(String topic, boolean fromBeginning) {
        open(List.of(topic), fromBeginning);
    }

    /** Assigns every partition of every one of {@code topics}, from the start or from their current end. */
    public void open(java.util.Collection<String> topics, boolean fromBeginning) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : topics) {
            parts.addAll(partitionsOf(topic));
        }
        consumer.assign(parts);
        if (fromBeginning) {
            consumer.seekToBeginning(parts);
        } else {
            consumer.seekToEnd(parts);
        }
    }

    /** Its partitions, waiting a while for a topic that a starting pipeline may be about to create. */
    private List<TopicPartition> partitionsOf(String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        long deadline = System.currentTimeMillis() + CREATION_WAIT.toMillis();
        boolean said = false;
        while (parts.isEmpty()) {
            List<PartitionInfo> info = consumer.partitionsFor(topic);
            if (info != null) {
                info.forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            }
            if (parts.isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("topic " + topic + " does not exist (waited " + CREATION_WAIT.toSeconds()
                            + " s for it to be created)");
                }
                if (!said) { // so a mistyped name is not met with silence
                    log.info("Topic {} does not exist yet; waiting up to {} s for it to be created", topic, CREATION_WAIT.toSeconds());
                    said = true;
                }
                sleep(200);
            }
        }
        return parts;
    }

    public List<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        consumer.poll(timeout).forEach(out::add);
        return out;
    }

    /** Every committed record now on the topic. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        open(topic, true);
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            out.addAll(poll(Duration.ofMillis(200)));
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out reading " + topic);
            }
        }
        return out;
    }

    /** Every version now on the topic (undecodable records skipped: they are not versions). */
    public List<ModelVersion> readVersions(String topic) {
        List<ModelVersion> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topic)) {
            try {
                out.add(Topics.versions(topic).decode(r.value()));
            } catch (RuntimeException ignored) {
                // a garbage record on a topic anyone may write to is not a version
            }
        }
        return out;
    }

    /** Waits until {@code count} versions matching {@code filter} arrived (from where the reader stands). */
    public List<ModelVersion> awaitVersions(int count, Predicate<ModelVersion> filter, Duration timeout) {
        List<ModelVersion> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (out.size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s with " + out.size()
                        + " of " + count + " versions");
            }
            for (ConsumerRecord<String, byte[]> r : poll(Duration.ofMillis(200))) {
                try {
                    ModelVersion v = Topics.versions(r.topic()).decode(r.value());
                    if (filter.test(v)) {
                        out.add(v);
                    }
                } catch (RuntimeException ignored) {
                    // not a version
                }
            }
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
