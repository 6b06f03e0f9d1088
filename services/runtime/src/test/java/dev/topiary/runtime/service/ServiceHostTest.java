package dev.topiary.runtime.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.broker.KafkaContainerSupport;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.testing.TallyKind;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline file, as a user writes it, drives stages and routes on the real broker. */
class ServiceHostTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void pipelineRoutesVersionsByTheirMetricsAndChainsStages(@TempDir Path dir) throws Exception {
        routesAndChains(kafka, dir);
    }

    /** The same flow against Kafka in a container (Testcontainers), where a Docker engine runs. */
    @Test
    void pipelineRunsOnAKafkaContainerToo(@TempDir Path dir) throws Exception {
        KafkaContainerSupport.assumeDocker();
        routesAndChains(KafkaSettings.of(KafkaContainerSupport.sharedBootstrapServers()), dir);
    }

    @Test
    void hostedServicesStartBeforeTheStagesAndStopAfterThem(@TempDir Path dir) throws Exception {
        String p = TestBroker.unique("hosted").replace('-', '_');
        Path file = dir.resolve("hosted.yaml");
        Files.writeString(file, """
                pipeline: %1$s
                dataset: none
                stages:
                  - name: copy
                    uses: test-copy
                    from: %1$s.in
                    to: %1$s.out
                """.formatted(p));
        PipelineSet pipelines = PipelineSet.load(List.of(file), ServiceKinds.catalog());
        Map<String, HostedKind> wanted = ServiceKinds.hostedWantedBy(pipelines);
        assertTrue(wanted.containsKey(TallyKind.NAME), wanted.toString());
        Path data = dir.resolve("data");
        TallyKind.Tally tally;
        try (ServiceHost host = new ServiceHost(pipelines, ServiceKinds.available(), Map.of(TallyKind.NAME, wanted.get(TallyKind.NAME)),
                kafka, ArtifactOptions.DEFAULT, "i1", RetryPolicy.DEFAULT, data,
                Map.of(TallyKind.NAME + ".colour", "green", "registry.port", "8080"))) {
            tally = (TallyKind.Tally) host.hostedServices().get(TallyKind.NAME);
            assertEquals(TallyKind.stateDir(data), tally.context().stateDir());
            assertTrue(Files.isDirectory(tally.context().stateDir()));
            assertEquals(Map.of(TallyKind.NAME + ".colour", "green"), tally.context().options(), "only its own options");
            assertEquals("i1", tally.context().instanceId());
            assertFalse(tally.stagesRunningAtStart(), "hosted services start before the stage runners");

            TextModels.publish(kafka, p + ".in", "accuracy=0.9");
            long deadline = System.currentTimeMillis() + 60_000;
            while (tally.versions() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, tally.versions(), "the hosted service saw the stage's version");
        }
        assertFalse(tally.stagesRunningAtClose(), "hosted services stop after the stage runners");
        assertEquals("1", Files.readString(TallyKind.stateDir(data).resolve("closed")));
    }

    private static void routesAndChains(KafkaSettings kafka, Path dir) throws Exception {
        String p = TestBroker.unique("routes").replace('-', '_');
        Path file = dir.resolve("routes.yaml");
        Files.writeString(file, """
                pipeline: %1$s
                dataset: none
                stages:
                  - name: first
                    uses: test-copy
                    from: %1$s.in
                    to: %1$s.good
                    routes:
                      - when: accuracy < 0.5 or params > 1000
                        to: %1$s.rejected
                  - name: second
                    uses: test-copy
                    from: %1$s.good
                    to: %1$s.final
                """.formatted(p));
        PipelineSet pipelines = PipelineSet.load(List.of(file), ServiceKinds.available().keySet());
        try (ServiceHost host = new ServiceHost(pipelines, ServiceKinds.available(), kafka, ArtifactOptions.DEFAULT, "i1");
             TopicReader finals = new TopicReader(kafka);
             TopicReader rejected = new TopicReader(kafka)) {
            assertEquals(2, host.runners().size());
            ModelVersion good = TextModels.publish(kafka, p + ".in", "accuracy=0.9;params=10");
            TextModels.publish(kafka, p + ".in", "accuracy=0.3;params=10");
            TextModels.publish(kafka, p + ".in", "accuracy=0.9;params=5000");
            finals.open(p + ".final", true);
            rejected.open(p + ".rejected", true);
            ModelVersion last = finals.awaitVersions(1, v -> true, Duration.ofSeconds(60)).get(0);
            List<ModelVersion> rejects = rejected.awaitVersions(2, v -> true, Duration.ofSeconds(60));

            assertEquals("second", last.getStage());
            assertEquals(good.getLineage(), last.getLineage());
            assertTrue(rejects.stream().allMatch(v -> v.getStage().equals("first")));
            assertTrue(rejects.stream().noneMatch(v -> v.getLineage().equals(good.getLineage())));
        }
    }
}
