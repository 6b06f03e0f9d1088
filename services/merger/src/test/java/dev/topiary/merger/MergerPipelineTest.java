package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.gatherer.GathererKind;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.runtime.client.TopicReader;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.artifact.Artifacts;
import dev.topiary.runtime.kafka.KafkaSettings;
import dev.topiary.runtime.kafka.Topics;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.pipeline.PipelineSet;
import dev.topiary.runtime.service.ArtifactOptions;
import dev.topiary.runtime.service.ServiceHost;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.stage.RetryPolicy;
import dev.topiary.runtime.testing.DeadLetterWait;
import dev.topiary.runtime.testing.TestBroker;
import dev.topiary.trainer.TrainerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the embedded broker, as {@code topiary up} hosts it: a matrix of three fine-tunes of one
 * model, gathered by parent, merged by greedy soup into one version whose parents are the three
 * and which carries {@code bestParentAccuracy}; two models of different widths gathered by a label
 * are dead-lettered naming the layer that differs; and a BatchNormalization CNN is folded.
 */
class MergerPipelineTest {

    @Test
    void matrixFineTunesGatheredIntoAGreedySoup(@TempDir Path dir) throws Exception {
        String p = TestBroker.unique("merge").replace('-', '_');
        KafkaSettings kafka = TestBroker.settings();
        Path file = dir.resolve(p + ".yaml");
        Files.writeString(file, """
                pipeline: %1$s
                dataset: fashion-mnist?train=3000&test=1000
                stages:
                  - name: finetune
                    uses: train
                    from: %1$s.trained
                    to: %1$s.finetuned
                    with: {epochs: 1, batchSize: 64, learningRate: 0.001}
                    matrix: {seed: [1, 2, 3]}
                  - name: soup
                    uses: merge
                    from: %1$s.finetuned
                    to: %1$s.souped
                    gather: {by: parent, count: 3}
                    with: {method: greedy-soup}
                    routes:
                      - when: accuracy < bestParentAccuracy
                        to: %1$s.worse
                  - name: mixed
                    uses: merge
                    from: %1$s.mixed
                    to: %1$s.never
                    gather: {by: "label:team", count: 2}
                    with: {method: average}
                  - name: fold
                    uses: merge
                    from: %1$s.cnn
                    to: %1$s.folded
                    with: {method: fold-batchnorm}
                """.formatted(p));
        PipelineSet set = PipelineSet.load(List.of(file), ServiceKinds.catalog());
        Map<String, dev.topiary.runtime.stage.ServiceKind> kinds = Map.of("train", new TrainerService(),
                MergerService.NAME, new MergerService());
        try (ServiceHost host = new ServiceHost(set, kinds, Map.of(GathererKind.NAME, new GathererKind()), kafka,
                ArtifactOptions.DEFAULT, TestBroker.unique("merge-test"), RetryPolicy.DEFAULT, dir.resolve("data"), Map.of());
             Artifacts artifacts = Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES);
             VersionPublisher publisher = new VersionPublisher(kafka, artifacts);
             TopicReader reader = new TopicReader(kafka)) {
            ModelVersion root = publisher.publish(root(ModelFactory.mlp(5, new int[] {784, 32, 10}), Map.of()), p + ".trained");
            publisher.publish(root(ModelFactory.mlp(1, new int[] {784, 16, 10}), Map.of("team", "a")), p + ".mixed");
            publisher.publish(root(ModelFactory.mlp(2, new int[] {784, 24, 10}), Map.of("team", "a")), p + ".mixed");
            Model cnn = ModelFactory.cnn(3, true);
            publisher.publish(root(cnn, Map.of()), p + ".cnn");

            reader.open(List.of(p + ".souped", p + ".worse"), true);
            ModelVersion soup = reader.awaitVersions(1, v -> true, Duration.ofMinutes(6)).get(0);
            List<ModelVersion> fineTunes = reader.readVersions(p + ".finetuned");
            assertEquals(3, fineTunes.size());
            fineTunes.forEach(v -> assertEquals(List.of(root.getId()), v.getParents()));
            assertEquals(fineTunes.stream().map(ModelVersion::getId).sorted().toList(), soup.getParents(), "all three parents");
            assertEquals(OperationKind.MERGE, soup.getOperation().getKind());
            Map<String, Double> m = soup.getMetrics().getValues();
            double best = fineTunes.stream().mapToDouble(v -> v.getMetrics().getValues().get(MetricNames.ACCURACY)).max().orElseThrow();
            assertEquals(best, m.get(MetricNames.BEST_PARENT_ACCURACY), 1e-12);
            assertTrue(m.containsKey(MetricNames.MEAN_PARENT_ACCURACY), m.toString());
            double kept = m.get(MetricNames.qualified(MergerService.NAME, MergeResult.INGREDIENTS));
            assertTrue(kept >= 1 && kept <= 3, "ingredients " + kept);
            assertTrue(m.get(MetricNames.qualified(MergerService.NAME, MergeResult.HOLDOUT_ACCURACY)) > 0.5, m.toString());
            assertTrue(soup.getSelectionSplit().startsWith("holdout of fashion-mnist"), soup.getSelectionSplit());
            assertEquals("greedy-soup", soup.getLabels().get("mergeMethod"));
            assertEquals(SafeModelLoader.load(artifacts.get(soup.getArtifact())).model().numParams(),
                    (long) (double) m.get(MetricNames.PARAMS));

            String reason = DeadLetterWait.header(DeadLetterWait.await(kafka, Topics.gatheredOf(p, "mixed"), 1).get(0),
                    "topiary.error");
            assertTrue(reason.contains("at layer 'dense1'") && reason.contains("W has shape"), reason);

            try (TopicReader folded = new TopicReader(kafka)) {
                folded.open(p + ".folded", true);
                ModelVersion f = folded.awaitVersions(1, v -> true, Duration.ofMinutes(2)).get(0);
                Map<String, Double> fm = f.getMetrics().getValues();
                assertEquals(2.0, fm.get(MetricNames.qualified(MergerService.NAME, MergeResult.REMOVED_LAYERS)));
                assertTrue(fm.get(MetricNames.PARAMS) < cnn.numParams(), "the normalisations' parameters are gone");
            }
        }
    }

    private static VersionPublisher.RootVersion root(Model model, Map<String, String> labels) {
        return ModelEvents.root(model, ModelArtifacts.save(model, true), OperationKind.NEW, labels);
    }
}
