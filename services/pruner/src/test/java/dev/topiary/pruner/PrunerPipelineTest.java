package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.ImageModels;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.model.UnsupportedModels;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.service.ServiceKinds;
import dev.topiary.runtime.testing.PipelineHarness;
import dev.topiary.trainer.TrainerService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * train → prune on the real embedded broker: the pruned versions are smaller by the measure each
 * method promises (nonzeros and bytes for magnitude; params and MACs for structured), their
 * artifacts load, and a layer the pruner cannot handle reaches the dead-letter topic by name.
 */
class PrunerPipelineTest {

    @Test
    void trainThenPrunePublishesSmallerVersions() throws Exception {
        try (PipelineHarness p = PipelineHarness.start("""
                dataset: fashion-mnist?train=3000&test=1000
                stages:
                  - name: train
                    uses: train
                    from: ${p}.new
                    to: ${p}.trained
                    with: {epochs: 2, batchSize: 64, learningRate: 0.002, seed: 7}
                  - name: magnitude
                    uses: prune
                    from: ${p}.trained
                    to: ${p}.sparse
                    with: {method: magnitude, scope: global, sparsity: 0.9, schedule: agp, steps: 2, finetuneEpochs: 1}
                    routes:
                      - when: prune.weightSparsity >= 0.85 and accuracyDrop < 0.05
                        to: ${p}.verysparse
                  - name: structured
                    uses: prune
                    from: ${p}.trained
                    to: ${p}.slim
                    with: {method: structured, importance: l1, keepMacs: 0.4, finetuneEpochs: 1}
                  - name: image
                    uses: prune
                    from: ${p}.images
                    to: ${p}.images_slim
                    with: {method: structured, scope: layer, importance: l1, keepMacs: 0.5, finetuneEpochs: 0}
                  - name: odd
                    uses: prune
                    from: ${p}.odd
                    to: ${p}.never
                    with: {method: magnitude, sparsity: 0.5}
                """, Map.of("train", new TrainerService(), "prune", new PrunerService()))) {
            p.publish(root(ModelFactory.mlp(1, new int[] {784, 128, 64, 10})), "new");
            p.publish(root(UnsupportedModels.elementWiseMultiplication()), "odd");
            MultiLayerNetwork images = ImageModels.simpleCnn(1); // NCHW input, as DL4J's zoo builds SimpleCNN
            p.publish(root(images), "images");

            List<ModelVersion> out = p.awaitVersions(3, Duration.ofMinutes(8), "trained", "verysparse", "slim");
            ModelVersion trained = PipelineHarness.byStage(out, "train");
            ModelVersion sparse = PipelineHarness.byStage(out, "magnitude");
            ModelVersion slim = PipelineHarness.byStage(out, "structured");
            Map<String, Double> t = trained.getMetrics().getValues();
            Map<String, Double> s = sparse.getMetrics().getValues();
            Map<String, Double> m = slim.getMetrics().getValues();

            assertEquals(OperationKind.PRUNE, sparse.getOperation().getKind());
            assertEquals(List.of(trained.getId()), sparse.getParents());
            assertTrue(s.get("prune.weightSparsity") >= 0.85, "routed on the kind's own metric: " + s);
            assertEquals(0, p.readVersions("sparse").size(), "the route took it");
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

            Model loaded = SafeModelLoader.load(p.artifact(slim)).model();
            assertEquals(m.get("params"), (double) loaded.numParams());

            ModelVersion image = p.awaitVersions(1, Duration.ofMinutes(4), "images_slim").get(0);
            Map<String, Double> im = image.getMetrics().getValues();
            long fullMacs = 28L * 28 * 9 * (8 + 8 * 8) + 14L * 14 * 9 * 8 * 16 + 16 * 10;
            assertTrue(im.get("macs") <= 0.5 * fullMacs, "image model MACs " + im.get("macs") + " of " + fullMacs);
            assertTrue(im.get("params") < images.numParams() && im.get("latencyMs") > 0 && im.get("accuracy") >= 0, im.toString());

            String reason = p.awaitDeadLetterReasons("odd", 1).get(0);
            assertTrue(reason.contains("ElementWiseMultiplication") && reason.contains("prune"), reason);
        }
    }

    private static VersionPublisher.RootVersion root(MultiLayerNetwork net) {
        return ModelEvents.root(net, ModelArtifacts.save(net, true), OperationKind.NEW, Map.of());
    }
}
