package dev.topiary.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.testing.CommittedValues;
import dev.topiary.runtime.testing.HangingTransactionScene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hanging transaction on the embedded broker: readers are held back by it until the broker's
 * own sweep aborts it, while a transaction its coordinator knows stays open and commits.
 */
class HangingTransactionsTest {
    private static final String HELD = "held";
    private static final String OTHER = "other";

    @TempDir
    Path dir;

    @Test
    void theEmbeddedBrokerAbortsAHangingTransactionAndLeavesAKnownOneAlone() throws Exception {
        // verification off, so the stray write is appended as a write after its transaction ended would be
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0,
                Map.of("transaction.partition.verification.enable", "false"))) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            try (TopicAdmin topics = new TopicAdmin(kafka)) {
                topics.ensure(List.of(HELD, OTHER));
            }
            try (KafkaProducer<String, byte[]> known = HangingTransactionScene.transactional(kafka, "known", Duration.ofMinutes(2))) {
                known.beginTransaction(); // open all along, and its coordinator knows it
                known.send(new ProducerRecord<>(OTHER, "k", "in flight".getBytes())).get();

                HangingTransactionScene.write(kafka, "127.0.0.1", broker.port(), HELD);
                assertEquals(List.of("before"), CommittedValues.read(kafka, HELD, 2, Duration.ofSeconds(3)),
                        "a reader stops at the hanging transaction");

                long t0 = System.nanoTime();
                List<String> read = CommittedValues.read(kafka, HELD, 2, Duration.ofSeconds(90));
                System.out.printf("[HangingTransactionsTest] readers got past the hanging transaction after %.1f s%n",
                        (System.nanoTime() - t0) / 1e9);
                assertEquals(List.of("before", "after"), read, "the sweep aborted the hanging transaction");

                known.commitTransaction();
                assertEquals(List.of("in flight"), CommittedValues.read(kafka, OTHER, 1, Duration.ofSeconds(10)),
                        "the transaction the coordinator knew was left alone");
            }
        }
    }
}
