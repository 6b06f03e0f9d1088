package dev.topiary.runtime.testing;

import dev.topiary.runtime.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** What a read_committed reader (as every Topiary reader is) sees on partition 0 of a topic. */
public final class CommittedValues {
    private CommittedValues() {
    }

    /** The values on partition 0 from its start, once {@code expected} have arrived or {@code wait} has passed. */
    public static List<String> read(KafkaSettings kafka, String topic, int expected, Duration wait) {
        List<String> values = new ArrayList<>();
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.assignedConsumer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + wait.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value()));
                }
            }
        }
        return values;
    }
}
