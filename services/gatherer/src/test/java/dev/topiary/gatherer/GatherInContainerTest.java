package dev.topiary.gatherer;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.broker.KafkaContainerSupport;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-out and fan-in pipeline of {@link GatherOnBrokerTest} against Kafka in a Docker
 * container (a broker outside this JVM, as a deployment has); skipped with the reason where no
 * Docker engine answers.
 */
class GatherInContainerTest {
    @BeforeEach
    void docker() {
        KafkaContainerSupport.assumeDocker();
    }

    @Test
    void aMatrixOfFiveIsGatheredIntoOneInputWithFiveParents(@TempDir Path dir) throws Exception {
        KafkaSettings kafka = KafkaSettings.of(KafkaContainerSupport.sharedBootstrapServers());
        String name = TestBroker.unique("gc");
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, GatherOnBrokerTest.pipeline(name));
        PipelineSet set = PipelineSet.load(List.of(file), ServiceKinds.catalog());
        try (ServiceHost host = new ServiceHost(set, ServiceKinds.available(), Map.of(GathererKind.NAME, new GathererKind()),
                kafka, ArtifactOptions.DEFAULT, "gather-container", RetryPolicy.DEFAULT, dir.resolve("data"), Map.of())) {
            ModelVersion input = TextModels.publish(kafka, name + ".in", "accuracy=0.5");
            GatherOnBrokerTest.assertFanIn(kafka, name, input);
        }
    }
}
