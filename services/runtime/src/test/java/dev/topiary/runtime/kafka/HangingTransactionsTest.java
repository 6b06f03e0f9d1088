package dev.topiary.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
            try (Admin admin = Admin.create(kafka.admin());
                 KafkaProducer<String, byte[]> writer = producer(kafka, "writer", Duration.ofSeconds(10));
                 KafkaProducer<String, byte[]> known = producer(kafka, "known", Duration.ofMinutes(2));
                 KafkaProducer<String, byte[]> strayOwner = producer(kafka, "stray", Duration.ofSeconds(10))) {
                commit(writer, HELD, "before");
                known.beginTransaction(); // open all along, and its coordinator knows it
                known.send(new ProducerRecord<>(OTHER, "k", "in flight".getBytes())).get();

                TransactionDescription stray = admin.describeTransactions(List.of("stray")).all().get().get("stray");
                StrayTransactionalWrite.write("127.0.0.1", broker.port(), "stray", stray.producerId(),
                        (short) stray.producerEpoch(), HELD);
                commit(writer, HELD, "after");
                assertEquals(List.of("before"), readCommitted(kafka, HELD, 2, Duration.ofSeconds(3)),
                        "a reader stops at the hanging transaction");

                long t0 = System.nanoTime();
                List<String> read = readCommitted(kafka, HELD, 2, Duration.ofSeconds(90));
                System.out.printf("[HangingTransactionsTest] readers got past the hanging transaction after %.1f s%n",
                        (System.nanoTime() - t0) / 1e9);
                assertEquals(List.of("before", "after"), read, "the sweep aborted the hanging transaction");

                known.commitTransaction();
                assertEquals(List.of("in flight"), readCommitted(kafka, OTHER, 1, Duration.ofSeconds(10)),
                        "the transaction the coordinator knew was left alone");
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaSettings kafka, String id, Duration timeout) {
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.transactionalProducer(id, timeout));
        p.initTransactions();
        return p;
    }

    private static void commit(KafkaProducer<String, byte[]> producer, String topic, String value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "k", value.getBytes()));
        producer.commitTransaction();
    }

    /** The values on partition 0, read committed (as every Topiary reader reads), once {@code expected} have arrived or {@code wait} has passed. */
    private static List<String> readCommitted(KafkaSettings kafka, String topic, int expected, Duration wait) {
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
