package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.broker.KafkaContainerSupport;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.testing.CommittedValues;
import dev.topiary.runtime.testing.HangingTransactionScene;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@code topiary hanging-transactions} on a cluster that is not Topiary's embedded broker (Kafka in
 * a container, which sweeps nothing itself): a real hanging transaction holds readers back until the
 * command aborts it, a second run finds nothing, and {@code --watch} aborts one made while it sweeps.
 * Skips, saying why, without a Docker engine.
 */
class HangingTransactionsCommandTest {
    private static final String HELD = "held";
    private static final String LATER = "held-later";

    @Test
    void abortsAHangingTransactionOnAClusterOfYourOwn() throws Exception {
        try (KafkaContainer broker = KafkaContainerSupport.newContainer()
                // so the stray write is appended as a write landing after its transaction ended would be
                .withEnv("KAFKA_TRANSACTION_PARTITION_VERIFICATION_ENABLE", "false")) {
            broker.start();
            String bootstrap = broker.getBootstrapServers();
            KafkaSettings kafka = KafkaSettings.of(bootstrap);
            try (TopicAdmin topics = new TopicAdmin(kafka)) {
                topics.ensure(List.of(HELD));
            }
            HangingTransactionScene.write(kafka, host(bootstrap), port(bootstrap), HELD);
            assertEquals(List.of("before"), CommittedValues.read(kafka, HELD, 2, Duration.ofSeconds(5)),
                    "a reader stops at the hanging transaction, and this broker does not sweep it");

            PipelinesValidateTest.Run swept = PipelinesValidateTest.run("hanging-transactions", "--min-age", "2", "--bootstrap", bootstrap);
            assertEquals(0, swept.exit(), swept.err());
            assertTrue(swept.out().contains("aborted a hanging transaction on " + HELD + "-0"), swept.out());
            assertTrue(swept.out().contains("aborted 1 hanging transaction(s)"), swept.out());
            assertEquals(List.of("before", "after"), CommittedValues.read(kafka, HELD, 2, Duration.ofSeconds(10)),
                    "readers get past it once it is aborted");

            PipelinesValidateTest.Run again = PipelinesValidateTest.run("hanging-transactions", "--min-age", "1", "--bootstrap", bootstrap);
            assertEquals(0, again.exit(), again.err());
            assertEquals("no hanging transaction found", again.out().strip());

            // --watch: a hanging transaction made while it sweeps is aborted within a few sweeps
            Thread watching = new Thread(() -> Main.commandLine().execute("hanging-transactions", "--watch", "--min-age", "1",
                    "--bootstrap", bootstrap), "watching");
            watching.start();
            try (TopicAdmin topics = new TopicAdmin(kafka)) {
                topics.ensure(List.of(LATER));
                HangingTransactionScene.write(kafka, host(bootstrap), port(bootstrap), LATER);
                assertEquals(List.of("before", "after"), CommittedValues.read(kafka, LATER, 2, Duration.ofSeconds(40)),
                        "the watching sweep aborted the hanging transaction");
            } finally {
                watching.interrupt();
                watching.join(Duration.ofSeconds(20).toMillis());
            }
            assertFalse(watching.isAlive(), "--watch stops when interrupted");
        }
    }

    private static String host(String bootstrap) {
        return bootstrap.substring(0, bootstrap.lastIndexOf(':'));
    }

    private static int port(String bootstrap) {
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    @Test
    void aMinimumAgeBelowOneSecondIsRefused() {
        PipelinesValidateTest.Run run = PipelinesValidateTest.run("hanging-transactions", "--min-age", "0", "--bootstrap", "127.0.0.1:1");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("--min-age must be at least 1 second, got 0"), run.err());
    }
}
