package dev.topiary.runtime.testing;

import dev.topiary.runtime.kafka.KafkaSettings;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Partition 0 of a topic holding {@code "before"}, a hanging transaction's stray record
 * ({@link StrayTransactionalWrite}), then {@code "after"}, both committed: a read_committed reader
 * sees only {@code "before"} until the hanging transaction is aborted. The broker must run with
 * {@code transaction.partition.verification.enable=false}, so the stray write is appended as a
 * write landing after its transaction ended would be.
 */
public final class HangingTransactionScene {
    private HangingTransactionScene() {
    }

    /** Writes the scene to {@code topic} (which exists) through the leader of its partition 0 at {@code host:port}. */
    public static void write(KafkaSettings kafka, String host, int port, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.admin());
             KafkaProducer<String, byte[]> writer = transactional(kafka, "writer", Duration.ofSeconds(10));
             KafkaProducer<String, byte[]> strayOwner = transactional(kafka, "stray", Duration.ofSeconds(10))) {
            commit(writer, topic, "before");
            TransactionDescription stray = admin.describeTransactions(List.of("stray")).all().get().get("stray");
            StrayTransactionalWrite.write(host, port, "stray", stray.producerId(), (short) stray.producerEpoch(), topic);
            commit(writer, topic, "after");
        }
    }

    /** A transactional producer, its transactions registered with their coordinator. */
    public static KafkaProducer<String, byte[]> transactional(KafkaSettings kafka, String id, Duration timeout) {
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.transactionalProducer(id, timeout));
        p.initTransactions();
        return p;
    }

    private static void commit(KafkaProducer<String, byte[]> producer, String topic, String value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "k", value.getBytes()));
        producer.commitTransaction();
    }
}
