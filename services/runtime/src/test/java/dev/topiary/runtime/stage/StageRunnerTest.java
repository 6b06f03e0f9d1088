package dev.topiary.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.testing.RunningStage;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.runtime.testing.TextModels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stage runner against a real embedded broker, with the test-only copy transformation. */
class StageRunnerTest {
    private final KafkaSettings kafka = TestBroker.settings();

    private static StageBinding binding(String in, String out, Map<String, Object> params, StageBinding.RouteSelector router,
                                        Set<String> outputs) {
        return new StageBinding("p", TestBroker.unique("stage"), "test-copy", List.of(in), outputs, params, "none", router);
    }

    @Test
    void publishedVersionFlowsThroughAStageLinkedToItsParent() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        try (RunningStage stage = RunningStage.copy(binding(in, out, Map.of(), (m, p) -> out, Set.of(out)), kafka, 1);
             TopicReader reader = new TopicReader(kafka)) {
            ModelVersion root = TextModels.publish(kafka, in, "accuracy=0.9;params=100");
            reader.open(out, true);
            ModelVersion v = reader.awaitVersions(1, x -> true, Duration.ofSeconds(60)).get(0);

            assertEquals(List.of(root.getId()), v.getParents());
            assertEquals(root.getLineage(), v.getLineage());
            assertEquals(stage.runner().binding().stage(), v.getStage());
            assertEquals(0.9, v.getMetrics().getValues().get("accuracy"), 1e-12);
            assertEquals(VersionIds.derive(List.of(root.getId()), "p", v.getStage(), Map.of()), v.getId());
            // the artifact is new, stored, and named by its hash
            assertTrue(v.getArtifact().getUri().startsWith("kafka://"));
            assertTrue(!v.getArtifact().getSha256().equals(root.getArtifact().getSha256()));
            byte[] bytes = dev.topiary.runtime.artifact.Artifacts.kafka(kafka, 1 << 20).get(v.getArtifact());
            assertTrue(new String(bytes, StandardCharsets.UTF_8).endsWith(";stage=" + v.getStage()));
        }
    }

    @Test
    void aJobLongerThanMaxPollIntervalCompletesOnceWithoutRebalancing() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        KafkaSettings impatient = kafka.with(Map.of("max.poll.interval.ms", 2000));
        StageBinding b = binding(in, out, Map.of("sleepMs", 7000), (m, p) -> out, Set.of(out));
        try (RunningStage stage = RunningStage.copy(b, impatient, 1); TopicReader reader = new TopicReader(kafka)) {
            TextModels.publish(kafka, in, "accuracy=0.5");
            reader.open(out, true);
            reader.awaitVersions(1, x -> true, Duration.ofSeconds(60));
            Thread.sleep(3000); // room for a duplicate to show up, were there one
            assertEquals(1, reader.readVersions(out).size());
            assertEquals(1, stage.runner().assignmentCount(), "partitions were reassigned: a rebalance happened");
            assertEquals(1, stage.runner().processedCount());
        }
    }

    @Test
    void twoInstancesSplitTwoPartitionsAndProcessEachEventOnce() throws Exception {
        String in = TestBroker.unique("in");
        String out = TestBroker.unique("out");
        StageBinding b = binding(in, out, Map.of("sleepMs", 200), (m, p) -> out, Set.of(out));
        try (RunningStage first = RunningStage.copy(b, kafka, 2);
             RunningStage second = RunningStage.copy(b, kafka, 2);
             TopicReader reader = new TopicReader(kafka)) {
            Thread.sleep(3000); // both join the group before the work arrives
            Set<String> inputs = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                inputs.add(TextModels.publish(kafka, in, "accuracy=0." + i).getId());
            }
            reader.open(out, true);
            List<ModelVersion> outs = reader.awaitVersions(12, x -> true, Duration.ofSeconds(90));
            Thread.sleep(2000);
            List<ModelVersion> all = reader.readVersions(out);
            assertEquals(12, all.size());
            Set<String> parents = new HashSet<>();
            all.forEach(v -> parents.add(v.getParents().get(0)));
            assertEquals(inputs, parents);
            assertTrue(first.runner().processedCount() > 0, "first instance did no work");
            assertTrue(second.runner().processedCount() > 0, "second instance did no work");
            assertEquals(12, first.runner().processedCount() + second.runner().processedCount());
            assertEquals(12, outs.size());
        }
    }
}
