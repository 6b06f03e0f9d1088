package dev.topiary.cli;

import dev.topiary.runtime.broker.BrokerSecurity;
import dev.topiary.runtime.broker.EmbeddedKafkaBroker;
import dev.topiary.runtime.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the embedded broker listens, for commands that start one; it keeps its data in DATA_DIR/kafka. */
public final class EmbeddedBrokerOptions {
    @Option(names = "--port", defaultValue = "9092", description = "port of the embedded broker, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--secure", description = "SASL_SSL (SCRAM-SHA-512) and ACLs: makes a CA, the broker's certificate and a user under DATA-DIR/security, and a client.properties for --kafka-config")
    boolean secure;

    EmbeddedKafkaBroker start(Path dataDir) {
        BrokerSecurity security = secure ? BrokerSecurity.prepare(dataDir.resolve("security")) : null;
        System.err.println("starting embedded Kafka broker on 127.0.0.1:" + port + " (data in " + dataDir.resolve("kafka")
                + (secure ? ", secured" : "") + ")");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), port, Map.of(), security);
        System.err.println("Kafka is up at " + broker.bootstrapServers() + " (" + broker.startupTime().toMillis() + " ms)");
        if (security != null) {
            System.err.println("clients connect with --bootstrap " + broker.bootstrapServers() + " --kafka-config "
                    + security.clientProperties() + " (user " + BrokerSecurity.USER + ")");
        }
        return broker;
    }

    /** How this process's own services reach the broker: as the secured broker's user, when it is secured. */
    static KafkaSettings settings(EmbeddedKafkaBroker broker, ConnectionOptions connection) {
        if (broker.security() != null && connection.kafkaConfig == null) {
            return KafkaSettings.of(broker.bootstrapServers(), broker.security().clientProperties());
        }
        return connection.settings(broker.bootstrapServers());
    }
}
