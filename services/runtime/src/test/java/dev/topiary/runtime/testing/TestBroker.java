package dev.topiary.runtime.testing;

import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One real embedded Kafka broker per test JVM, started on first use: starting a broker per test
 * class would cost seconds each. Tests isolate themselves with unique topic and group names.
 */
public final class TestBroker {
    private static EmbeddedKafkaBroker broker;

    private TestBroker() {}

    public static synchronized KafkaSettings settings() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("topiary-test-broker");
                broker = EmbeddedKafkaBroker.start(dir, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return KafkaSettings.of(broker.bootstrapServers());
    }

    /** A name no other test uses, so tests sharing the broker do not see each other's records. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
