package dev.topiary.runtime.testing;

import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Waits for dead letters of an input topic, for tests that send bad input on purpose. */
public final class DeadLetterWait {
    private DeadLetterWait() {}

    /** Every dead letter of {@code inputTopic}, once there are exactly {@code count}; fails after two minutes. */
    public static List<ConsumerRecord<String, byte[]>> await(KafkaSettings kafka, String inputTopic, int count)
            throws InterruptedException {
        String topic = Topics.deadLetterOf(inputTopic);
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try (TopicReader reader = new TopicReader(kafka)) {
                List<ConsumerRecord<String, byte[]>> all = reader.readAll(topic);
                if (all.size() >= count || System.currentTimeMillis() > deadline) {
                    if (all.size() != count) {
                        throw new AssertionError("expected " + count + " dead letters on " + topic + ", found " + all.size());
                    }
                    return all;
                }
            }
            Thread.sleep(500);
        }
    }

    public static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
