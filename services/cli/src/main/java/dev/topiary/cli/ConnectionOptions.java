package dev.topiary.cli;

import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.kafka.BrokerCheck;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.service.ArtifactOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a command reaches Kafka and the artifact store; shared by every command that talks to a cluster. */
public final class ConnectionOptions {
    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: $TOPIARY_BOOTSTRAP or localhost:9092)")
    String bootstrap;

    @Option(names = "--kafka-config", description = "Kafka client properties file passed through to every client (TLS, SASL, timeouts)")
    Path kafkaConfig;

    @Option(names = "--artifact-store", defaultValue = "kafka", description = "kafka (default) or file")
    String artifactStore;

    @Option(names = "--artifact-dir", description = "directory of the file artifact store; with the kafka store, where file: artifacts may be read")
    Path artifactDir;

    @Option(names = "--connect-timeout", defaultValue = "15", paramLabel = "SECONDS",
            description = "how long a one-shot command (publish, pull, watch, ...) waits for an unreachable cluster"
                    + " before it gives up with the reason (default ${DEFAULT-VALUE}); services wait for good")
    int connectTimeoutSeconds;

    @Option(names = "--max-artifact-bytes", description = "largest artifact accepted (default ${DEFAULT-VALUE})")
    long maxArtifactBytes = Artifacts.DEFAULT_MAX_BYTES;

    /** The address given on the command line or in the environment; null when neither says. */
    String explicitBootstrap() {
        if (bootstrap != null) {
            return bootstrap;
        }
        String env = System.getenv("TOPIARY_BOOTSTRAP");
        return env == null || env.isBlank() ? null : env;
    }

    KafkaSettings settings() {
        String b = explicitBootstrap();
        return KafkaSettings.of(b == null ? KafkaSettings.DEFAULT_BOOTSTRAP : b, kafkaConfig);
    }

    /**
     * The settings, once a broker answers: within seconds the user hears which address was tried
     * and why it failed; a service ({@code keepTrying}) waits for the cluster, a one-shot command
     * gives up after {@code --connect-timeout} with that reason.
     */
    KafkaSettings connect(boolean keepTrying) {
        KafkaSettings s = settings();
        BrokerCheck.await(s, keepTrying ? null : Duration.ofSeconds(connectTimeoutSeconds), System.err::println);
        return s;
    }

    KafkaSettings settings(String bootstrapOverride) {
        return KafkaSettings.of(bootstrapOverride, kafkaConfig);
    }

    ArtifactOptions artifacts() {
        return new ArtifactOptions(artifactStore, artifactDir, maxArtifactBytes);
    }
}
