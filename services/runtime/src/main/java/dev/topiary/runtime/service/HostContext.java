package dev.topiary.runtime.service;

import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a hosted service starts from.
 *
 * @param pipelines the loaded pipeline files (the topics they read and write, the stages that gather)
 * @param settings the Kafka client settings every service uses
 * @param artifacts how to open the artifact store, e.g. for a service that serves artifacts
 * @param stateDir a directory of this service's own under the data directory (Kafka Streams state)
 * @param instanceId this process's instance id
 * @param options kind-specific settings from the command line, e.g. {@code registry.port}
 */
public record HostContext(PipelineSet pipelines, KafkaSettings settings, ArtifactOptions artifacts, Path stateDir,
                          String instanceId, Map<String, String> options) {
    public HostContext {
        options = Map.copyOf(options);
    }
}
