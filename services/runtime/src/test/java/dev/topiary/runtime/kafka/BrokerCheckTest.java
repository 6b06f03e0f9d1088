package dev.topiary.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An unreachable cluster is named, with the reason, within seconds; then tried for good or given up on. */
class BrokerCheckTest {
    @Test
    void saysWhichAddressFailedAndWhyThenKeepsTrying() throws Exception {
        String address = "127.0.0.1:" + closedPort();
        List<String> said = new CopyOnWriteArrayList<>();
        Thread waiting = new Thread(() -> {
            try {
                BrokerCheck.await(KafkaSettings.of(address), null, said::add);
            } catch (IllegalStateException interrupted) {
                // the test stops it
            }
        });
        long start = System.nanoTime();
        waiting.start();
        while (said.isEmpty() && System.nanoTime() - start < 10_000_000_000L) {
            Thread.sleep(50);
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(!said.isEmpty() && seconds <= 2, "said nothing within 2 s");
        String word = said.get(0);
        assertTrue(word.contains(address) && word.contains("Connection refused") && word.contains("still trying"), word);
        Thread.sleep(1000);
        assertTrue(waiting.isAlive(), "keeps trying");
        waiting.interrupt();
        waiting.join(10_000);
    }

    @Test
    void givesUpWithTheReasonWhenAskedTo() throws Exception {
        String address = "127.0.0.1:" + closedPort();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BrokerCheck.await(KafkaSettings.of(address), Duration.ofSeconds(1), s -> {}));
        assertTrue(e.getMessage().contains(address) && e.getMessage().contains("Connection refused")
                && e.getMessage().contains("gave up"), e.getMessage());
    }

    @Test
    void aPortThatAcceptsButSpeaksNoKafkaIsToldApartFromARefusal() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts into its backlog, never answers
            String address = "127.0.0.1:" + silent.getLocalPort();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> BrokerCheck.await(KafkaSettings.of(address), Duration.ofSeconds(1), s -> {}));
            assertTrue(e.getMessage().contains(address) && e.getMessage().contains("accepts connections but no Kafka"),
                    e.getMessage());
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
