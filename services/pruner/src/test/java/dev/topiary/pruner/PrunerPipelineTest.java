package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
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
import dev.topiary.trainer.TrainerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * train → prune on the real embedded broker: the pruned versions are smaller by the measure each
 * method promises (nonzeros and bytes for magnitude; params and MACs for structured), their
 * artifacts load, and a layer the pruner cannot handle reaches the dead-letter topic by name.
 */
class PrunerPipelineTest {
    private final KafkaSettings kafka = TestBroker.settings();

    @Test
    void trainThenPrunePublishesSmallerVersions(@TempDir Path dir) throws Exception {
        String p = TestBroker.unique("prune").replace('-', '_');
        Path file = dir.resolve("prune.yaml");
        Files.writeString(file, """
                pipeline: %1$s
                dataset: fashion-mnist?train=3000&test=1000
                stages:
                  - name: train
                    uses: train
                    from: %1$s.new
                    to: %1$s.trained
                    with: {epochs: 2, batchSize: 64, learningRate: 0.002, seed: 7}
                  - name: magnitude
                    uses: prune
                    from: %1$s.trained
                    to: %1$s.sparse
                    with: {method: magnitude, scope: global, sparsity: 0.9, schedule: agp, steps: 2, finetuneEpochs: 1}
                    routes:
                      - when: prune.weightSparsity >= 0.85 and accuracyDrop < 0.05
                        to: %1$s.verysparse
                  - name: structured
                    uses: prune
                    from: %1$s.trained
                    to: %1$s.slim
                    with: {method: structured, importance: l1, keepMacs: 0.4, finetuneEpochs: 1}
                  - name: odd
                    uses: prune
                    from: %1$s.odd
                    to: %1$s.never
                    with: {method: magnitude, sparsity: 0.5}
                """.formatted(p));
        PipelineSet set = PipelineSet.load(List.of(file), ServiceKinds.catalog());
        MultiLayerNetwork mlp = ModelFactory.mlp(1, new int[] {784, 128, 64, 10});
        try (ServiceHost host = new ServiceHost(set, Map.of("train", new TrainerService(), "prune", new PrunerService()),
                kafka, ArtifactOptions.DEFAULT, "p1");
             VersionPublisher publisher = new VersionPublisher(kafka, Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES));
             TopicReader reader = new TopicReader(kafka)) {
            publisher.publish(root(mlp), p + ".new");
            publisher.publish(root(unsupported()), p + ".odd");

            reader.open(List.of(p + ".trained", p + ".verysparse", p + ".slim"), true);
            List<ModelVersion> out = reader.awaitVersions(3, v -> true, Duration.ofMinutes(8));
            ModelVersion trained = byStage(out, "train");
            ModelVersion sparse = byStage(out, "magnitude");
            ModelVersion slim = byStage(out, "structured");
            Map<String, Double> t = trained.getMetrics().getValues();
            Map<String, Double> s = sparse.getMetrics().getValues();
            Map<String, Double> m = slim.getMetrics().getValues();

            assertEquals(OperationKind.PRUNE, sparse.getOperation().getKind());
            assertEquals(List.of(trained.getId()), sparse.getParents());
            assertTrue(s.get("prune.weightSparsity") >= 0.85, "routed on the kind's own metric: " + s);
            assertEquals(0, reader.readVersions(p + ".sparse").size(), "the route took it");
            assertTrue(sparse.getSelectionSplit().startsWith("holdout of fashion-mnist"), sparse.getSelectionSplit());
            for (ModelVersion v : out) {
                for (String name : v.getMetrics().getValues().keySet()) {
                    assertTrue(MetricNames.isStandard(name) || MetricNames.kindOf(name).isPresent()
                            && ServiceKinds.catalog().metricsOf(MetricNames.kindOf(name).get()).contains(name),
                            "undeclared metric " + name + " on " + v.getStage());
                }
            }
            assertTrue(s.get("nonzeroParams") < 0.15 * t.get("nonzeroParams"), "nonzeros " + s + " vs " + t);
            assertTrue(s.get("artifactBytes") < 0.5 * t.get("artifactBytes"), "bytes " + s + " vs " + t);
            assertTrue(sparse.getChanges().get("nonzeroParams") < 0);
            assertTrue(s.get("accuracy") > t.get("accuracy") - 0.05, "accuracy " + s.get("accuracy") + " vs " + t.get("accuracy"));
            assertTrue(s.containsKey("latencyMs"));

            assertTrue(m.get("params") < t.get("params"), "params " + m + " vs " + t);
            assertTrue(m.get("macs") <= 0.4 * t.get("macs") + 1, "macs " + m.get("macs") + " vs " + t.get("macs"));
            assertTrue(slim.getChanges().get("macs") < 0);
            assertTrue(m.get("accuracy") > 0.5, "structured accuracy " + m.get("accuracy"));

            byte[] bytes = Artifacts.kafka(kafka, Artifacts.DEFAULT_MAX_BYTES).get(slim.getArtifact());
            Model loaded = SafeModelLoader.load(bytes).model();
            assertEquals(m.get("params"), (double) loaded.numParams());

            ConsumerRecord<String, byte[]> dead = DeadLetterWait.await(kafka, p + ".odd", 1).get(0);
            String reason = DeadLetterWait.header(dead, "topiary.error");
            assertTrue(reason.contains("ElementWiseMultiplication") && reason.contains("prune"), reason);
        }
    }

    private static ModelVersion byStage(List<ModelVersion> versions, String stage) {
        return versions.stream().filter(v -> v.getStage().equals(stage)).findFirst()
                .orElseThrow(() -> new AssertionError("no version from stage " + stage));
    }

    /** A feed-forward net with a layer type the pruner does not handle. */
    private static MultiLayerNetwork unsupported() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.RELU).build())
                .layer(new ElementWiseMultiplicationLayer.Builder().nIn(64).nOut(64).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static VersionPublisher.RootVersion root(MultiLayerNetwork net) {
        return ModelEvents.root(net, ModelArtifacts.save(net, true), OperationKind.NEW, Map.of());
    }
}
