package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.runtime.broker.KafkaContainerSupport;
import dev.topiary.runtime.kafka.HangingTransactionSweeper;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.TopicAdmin;
import dev.topiary.runtime.testing.CommittedValues;
import dev.topiary.runtime.testing.HangingTransactionScene;
import dev.topiary.runtime.testing.StrayTransactionalWrite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@code topiary hanging-transactions} on a cluster that is not Topiary's embedded broker (Kafka in
 * a container, which sweeps nothing itself): a real hanging transaction is listed without being
 * touched and holds readers back until {@code --abort} ends it, a second run finds nothing, and
 * {@code --watch --abort} ends one made while it sweeps and prints that once; one whose producer no coordinator knows is
 * left open and named, exit 1.
 * Skips, saying why, without a Docker engine.
 */
class HangingTransactionsCommandTest {
    private static final String HELD = "held";
    private static final String LATER = "held-later";
    private static final String GHOST = "held-by-a-stranger";

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

            PipelinesValidateTest.Run listed = PipelinesValidateTest.run("hanging-transactions", "--min-age", "2", "--bootstrap", bootstrap);
            assertEquals(0, listed.exit(), listed.err());
            assertTrue(listed.out().contains("found a hanging transaction on " + HELD + "-0"), listed.out());
            assertEquals(List.of("before"), CommittedValues.read(kafka, HELD, 2, Duration.ofSeconds(3)), "listing aborts nothing");

            PipelinesValidateTest.Run swept = PipelinesValidateTest.run("hanging-transactions", "--abort", "--min-age", "2",
                    "--bootstrap", bootstrap);
            assertEquals(0, swept.exit(), swept.err());
            assertTrue(swept.out().contains("aborted a hanging transaction on " + HELD + "-0"), swept.out());
            assertTrue(swept.out().contains("aborted 1 hanging transaction(s)"), swept.out());
            assertEquals(List.of("before", "after"), CommittedValues.read(kafka, HELD, 2, Duration.ofSeconds(10)),
                    "readers get past it once it is aborted");

            PipelinesValidateTest.Run again = PipelinesValidateTest.run("hanging-transactions", "--abort", "--min-age", "1",
                    "--bootstrap", bootstrap);
            assertEquals(0, again.exit(), again.err());
            assertEquals("no hanging transaction found", again.out().strip());

            // --watch: a hanging transaction made while it sweeps is aborted within a few sweeps, and said once
            CapturedOutput watchPrinted = new CapturedOutput();
            String abortedLater = "aborted a hanging transaction on " + LATER + "-0";
            Thread watching = new Thread(() -> Main.commandLine().execute("hanging-transactions", "--watch", "--abort", "--min-age", "1",
                    "--bootstrap", bootstrap), "watching");
            try {
                watching.start();
                try (TopicAdmin topics = new TopicAdmin(kafka)) {
                    topics.ensure(List.of(LATER));
                    HangingTransactionScene.write(kafka, host(bootstrap), port(bootstrap), LATER);
                    assertEquals(List.of("before", "after"), CommittedValues.read(kafka, LATER, 2, Duration.ofSeconds(40)),
                            "the watching sweep aborted the hanging transaction");
                }
                // the abort is printed after its sweep returns: give it that moment, then two more sweeps to repeat it in
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!watchPrinted.out().contains(abortedLater) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(HangingTransactionSweeper.EVERY.multipliedBy(2).toMillis());
            } finally {
                watching.interrupt();
                watching.join(Duration.ofSeconds(30).toMillis());
                watchPrinted.close();
            }
            assertFalse(watching.isAlive(), "--watch stops when interrupted");
            List<String> aborts = watchPrinted.out().lines().filter(l -> l.startsWith("aborted")).toList();
            assertEquals(1, aborts.size(), "each abort is printed once: " + watchPrinted.out());
            assertTrue(aborts.get(0).startsWith(abortedLater + ": producer "), aborts.get(0));
            assertTrue(watchPrinted.err().contains("sweeping every " + HangingTransactionSweeper.EVERY.toSeconds() + " s until stopped"),
                    watchPrinted.err());

            // a producer no coordinator knows: hanging, or live and hidden from a client without Describe on its id
            try (TopicAdmin topics = new TopicAdmin(kafka)) {
                topics.ensure(List.of(GHOST));
            }
            StrayTransactionalWrite.write(host(bootstrap), port(bootstrap), "ghost", 424_242L, (short) 0, GHOST);
            PipelinesValidateTest.Run unsure = PipelinesValidateTest.run("hanging-transactions", "--abort", "--min-age", "1",
                    "--bootstrap", bootstrap);
            assertEquals(1, unsure.exit(), "it could not be sure of everything: " + unsure.err());
            assertEquals("no hanging transaction found", unsure.out().strip());
            assertTrue(unsure.err().contains("left open 1 transaction(s) whose producer no coordinator it may ask knows (" + GHOST
                    + "-0, producer 424242"), unsure.err());
            assertEquals(List.of(), CommittedValues.read(kafka, GHOST, 1, Duration.ofSeconds(2)), "and it is still open");
        }
    }

    private static String host(String bootstrap) {
        return bootstrap.substring(0, bootstrap.lastIndexOf(':'));
    }

    private static int port(String bootstrap) {
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    @Test
    void aMinimumAgeBelowOneSecondOrAWatchThatWouldNotAbortIsRefused() {
        PipelinesValidateTest.Run run = PipelinesValidateTest.run("hanging-transactions", "--min-age", "0", "--bootstrap", "127.0.0.1:1");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("--min-age must be at least 1 second, got 0"), run.err());
        PipelinesValidateTest.Run watch = PipelinesValidateTest.run("hanging-transactions", "--watch", "--bootstrap", "127.0.0.1:1");
        assertEquals(1, watch.exit());
        assertTrue(watch.err().contains("give --abort too"), watch.err());
    }
}
