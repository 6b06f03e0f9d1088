package dev.topiary.cli;

import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded broker listens and keeps its data, for commands that start one. */
public final class EmbeddedBrokerOptions {
    @Option(names = "--port", defaultValue = "9092", description = "port of the embedded broker (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data-dir", defaultValue = ".topiary", description = "data of the embedded broker, kept across restarts (default ${DEFAULT-VALUE})")
    Path dataDir;

    EmbeddedKafkaBroker start() {
        System.err.println("starting embedded Kafka broker on 127.0.0.1:" + port + " (data in " + dataDir.resolve("kafka") + ")");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), port);
        System.err.println("Kafka is up at " + broker.bootstrapServers() + " (" + broker.startupTime().toMillis() + " ms)");
        return broker;
    }
}
