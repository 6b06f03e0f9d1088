package dev.topiary.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelFormat;
import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.testing.DeadLetterWait;
import dev.topiary.runtime.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer service on the real embedded broker: a pipeline trains a small MLP on a Fashion-MNIST
 * subset and fine-tunes it, every version carries every metric, and bad data and an unsafe model
 * file reach the dead-letter topic with messages naming what was wrong.
 */
class TrainerPipelineTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void trainsThenFineTunesWithEveryMetricAndDeadLettersBadInput(@TempDir Path dir) throws Exception {
        String p = TestBroker.unique("train").replace('-', '_');
        Path missing = dir.resolve("nothing-here");
        Path wrongMagic = BadData.dir(dir, "wrong-magic", 1234, 10, 10, 0);
        Path countMismatch = BadData.dir(dir, "count-mismatch", BadData.IMAGES, 10, 9, 0);
        Path labelRange = BadData.dir(dir, "label-range", BadData.IMAGES, 10, 10, 12);
        Path file = dir.resolve("train.yaml");
        Files.writeString(file, """
                pipeline: %1$s
                dataset: fashion-mnist?train=3000&test=1000
                stages:
                  - name: train
                    uses: train
                    from: %1$s.new
                    to: %1$s.trained
                    with: {epochs: 2, batchSize: 64, learningRate: 0.002, seed: 7}
                  - name: finetune
                    uses: train
                    from: %1$s.trained
                    to: %1$s.tuned
                    with: {epochs: 1, learningRate: 0.0005, updater: sgd, momentum: 0.9, seed: 7}
                  - {name: missing, uses: train, from: %1$s.bad, to: %1$s.never, dataset: "idx:%2$s"}
                  - {name: magic, uses: train, from: %1$s.bad, to: %1$s.never, dataset: "idx:%3$s"}
                  - {name: count, uses: train, from: %1$s.bad, to: %1$s.never, dataset: "idx:%4$s"}
                  - {name: label, uses: train, from: %1$s.bad, to: %1$s.never, dataset: "idx:%5$s"}
                """.formatted(p, missing, wrongMagic, countMismatch, labelRange));
        PipelineSet set = PipelineSet.load(List.of(file), ServiceKinds.catalog());

        MultiLayerNetwork mlp = ModelFactory.mlp(1, new int[] {784, 64, 10});
        MultiLayerNetwork narrow = ModelFactory.mlp(1, new int[] {64, 16, 10});
        try (ServiceHost host = new ServiceHost(set, Map.of("train", new TrainerService()), kafka, ArtifactOptions.DEFAULT, "t1");
             VersionPublisher publisher = new VersionPublisher(kafka, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES));
             TopicReader tuned = new TopicReader(kafka);
             TopicReader trained = new TopicReader(kafka)) {
            ModelVersion root = publisher.publish(ModelEvents.root(mlp, ModelArtifacts.save(mlp, true), OperationKind.NEW,
                    Map.of()), p + ".new");
            publisher.publish(root(ModelArtifacts.save(mlp, true), OperationKind.NEW), p + ".bad");
            publisher.publish(root(ModelArtifacts.save(narrow, true), OperationKind.NEW), p + ".new");
            publisher.publish(root(GadgetZip.of(ModelArtifacts.save(mlp, true)), OperationKind.IMPORT), p + ".new");

            trained.open(p + ".trained", true);
            tuned.open(p + ".tuned", true);
            ModelVersion t = trained.awaitVersions(1, v -> true, Duration.ofMinutes(5)).get(0);
            ModelVersion f = tuned.awaitVersions(1, v -> true, Duration.ofMinutes(5)).get(0);

            assertEquals(OperationKind.TRAIN, t.getOperation().getKind());
            assertEquals(List.of(root.getId()), t.getParents());
            Map<String, Double> m = t.getMetrics().getValues();
            assertTrue(m.get("accuracy") > 0.6 && m.get("accuracy") <= 1, "accuracy " + m.get("accuracy"));
            assertTrue(m.get("loss") > 0 && m.get("loss") < 2.3, "loss " + m.get("loss"));
            assertEquals(784 * 64 + 64 + 64 * 10 + 10, m.get("params"));
            assertTrue(m.get("nonzeroParams") > 0.9 * m.get("params") && m.get("nonzeroParams") <= m.get("params"));
            assertEquals(784 * 64 + 64 * 10, m.get("macs"));
            assertEquals((double) t.getArtifact().getSizeBytes(), m.get("artifactBytes"));
            assertTrue(m.get("latencyMs") > 0 && m.get("latencyMs") < 10_000, "latency " + m.get("latencyMs"));
            assertEquals("fashion-mnist?train=3000&test=1000", t.getMetrics().getDataset());
            assertEquals(0.0, t.getChanges().get("params"));
            assertEquals(ModelFormat.DL4J_MULTI_LAYER_NETWORK, t.getArtifact().getFormat());
            assertEquals(2, t.getArchitecture().size(), "one summary per layer");
            assertEquals(784L * 64 + 64, t.getArchitecture().get(0).getParams());
            assertEquals(2.0, m.get("layers"));
            assertEquals(0.0, m.get("generation"), "no grow behind it");
            assertEquals(2.0, m.get("train.epochsRun"));
            assertEquals("holdout of fashion-mnist?train=3000&test=1000: training rows 2700-2999", t.getSelectionSplit());
            Set<String> own = new TrainerService().metrics().stream().map(n -> "train." + n).collect(Collectors.toSet());
            for (String name : m.keySet()) {
                assertTrue(MetricNames.isStandard(name) || own.contains(name), "undeclared metric " + name);
            }

            assertEquals(OperationKind.FINETUNE, f.getOperation().getKind());
            assertEquals(List.of(t.getId()), f.getParents());
            assertTrue(f.getChanges().containsKey("accuracy"));
            assertEquals(f.getMetrics().getValues().get("accuracy") - m.get("accuracy"), f.getChanges().get("accuracy"), 1e-12);

            Map<String, String> badData = deadLetters(p + ".bad", 4);
            assertTrue(badData.get(p + "/missing").contains(missing.toString()), badData.get(p + "/missing"));
            assertTrue(badData.get(p + "/magic").contains("2051") && badData.get(p + "/magic").contains("1234")
                    && badData.get(p + "/magic").contains(wrongMagic.toString()), badData.get(p + "/magic"));
            assertTrue(badData.get(p + "/count").contains(countMismatch.toString()), badData.get(p + "/count"));
            assertTrue(badData.get(p + "/label").contains("12") && badData.get(p + "/label").contains(labelRange.toString()),
                    badData.get(p + "/label"));

            List<String> refused = deadLetterReasons(p + ".new", 2);
            assertTrue(refused.get(0).contains("expects 64 inputs") && refused.get(0).contains("has 784 features"), refused.get(0));
            assertTrue(refused.get(1).contains("preprocessor.bin"), refused.get(1));
            assertFalse(GadgetZip.Gadget.ran, "the gadget's readObject ran: unsafe deserialization");
        }
    }

    private static VersionPublisher.RootVersion root(byte[] bytes, OperationKind kind) {
        return new VersionPublisher.RootVersion(bytes, ModelFormat.DL4J_MULTI_LAYER_NETWORK, kind, "test",
                Map.of(), null, List.of(), Map.of());
    }

    /** Waits for {@code count} dead letters on {@code input}'s dead-letter topic; reason by stage. */
    private Map<String, String> deadLetters(String input, int count) throws InterruptedException {
        Map<String, String> byStage = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : DeadLetterWait.await(kafka, input, count)) {
            byStage.put(DeadLetterWait.header(r, "topiary.stage"), DeadLetterWait.header(r, "topiary.error"));
        }
        return byStage;
    }

    private List<String> deadLetterReasons(String input, int count) throws InterruptedException {
        return DeadLetterWait.await(kafka, input, count).stream().map(r -> DeadLetterWait.header(r, "topiary.error")).toList();
    }
}
