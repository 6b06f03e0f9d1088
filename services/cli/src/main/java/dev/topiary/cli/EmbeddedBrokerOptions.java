package dev.topiary.cli;

import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded broker listens, for commands that start one; it keeps its data in DATA_DIR/kafka. */
public final class EmbeddedBrokerOptions {
    @Option(names = "--port", defaultValue = "9092", description = "port of the embedded broker, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    EmbeddedKafkaBroker start(Path dataDir) {
        System.err.println("starting embedded Kafka broker on 127.0.0.1:" + port + " (data in " + dataDir.resolve("kafka") + ")");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), port);
        System.err.println("Kafka is up at " + broker.bootstrapServers() + " (" + broker.startupTime().toMillis() + " ms)");
        return broker;
    }
}
