package dev.topiary.grower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.stage.ModelEvents;
import dev.topiary.nn.train.TrainOnly;
import dev.topiary.runtime.metrics.MetricNames;
import dev.topiary.runtime.testing.PipelineHarness;
import dev.topiary.trainer.TrainerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code pipelines/grow-until-good.yaml} on the embedded broker (its topics renamed for
 * the test and its data cut to 3,000 training images, nothing else changed): a 784-16-10 MLP goes
 * round train → grow → train until a route takes it out, here the one on {@code generation >= 4}
 * (3,000 images do not reach 89%). A stage with a guard too small for its grow publishes its input
 * unchanged, labelled, instead of a dead letter. Block expansion with {@code trainOnly: new}: the
 * next train stage trains the new block only, and the label is gone from what it publishes.
 */
class GrowLoopPipelineTest {
    private static final Path LOOP = Path.of("../../pipelines/grow-until-good.yaml");

    @Test
    void theLoopEndsAtItsExitRouteBoundedByGeneration() throws Exception {
        String stages = Files.readString(LOOP).lines().filter(l -> !l.startsWith("pipeline:"))
                .map(l -> l.replace("models.", "${p}.").replace("dataset: fashion-mnist", "dataset: fashion-mnist?train=3000&test=1000"))
                .reduce("", (a, l) -> a + l + "\n")
                + """
                  - name: capped
                    uses: grow
                    from: ${p}.capped
                    to: ${p}.capped_out
                    with: {method: wider, factor: 2, maxParams: 20000}
                  - name: expand
                    uses: grow
                    from: ${p}.res
                    to: ${p}.expanded
                    with: {method: blocks, every: 1, trainOnly: new}
                  - name: heal
                    uses: train
                    from: ${p}.expanded
                    to: ${p}.healed
                    with: {epochs: 1}
                """;
        try (PipelineHarness p = PipelineHarness.start(stages, Map.of("train", new TrainerService(),
                "grow", new GrowerService()))) {
            MultiLayerNetwork small = ModelFactory.mlp(1, new int[] {784, 16, 10});
            p.publish(ModelEvents.root(small, ModelArtifacts.save(small, true), OperationKind.NEW, Map.of()), "small");
            p.publish(ModelEvents.root(small, ModelArtifacts.save(small, true), OperationKind.NEW, Map.of()), "capped");
            ComputationGraph res = ModelFactory.resmlp(784, 8, 1, 10, 5);
            p.publish(ModelEvents.root(res, ModelArtifacts.save(res, true), OperationKind.NEW, Map.of()), "res");

            ModelVersion done = p.awaitVersions(1, Duration.ofMinutes(8), "done").get(0);
            Map<String, Double> m = done.getMetrics().getValues();
            assertEquals("train", done.getStage());
            assertTrue(m.get("accuracy") < 0.89, "3,000 images do not reach the accuracy exit: " + m.get("accuracy"));
            assertEquals(4.0, m.get(MetricNames.GENERATION), "left by the generation route: " + m);
            List<ModelVersion> grown = p.readVersions("grown");
            assertEquals(4, grown.size(), "four grows, then the exit");
            for (ModelVersion g : grown) {
                assertEquals(OperationKind.GROW, g.getOperation().getKind());
                assertTrue(g.getMetrics().getValues().get("grow.maxOutputChange") < 0.05, "noise 0.01 moves little: "
                        + g.getMetrics().getValues());
            }
            assertEquals(List.of(1.0, 2.0, 3.0, 4.0), grown.stream().map(g -> g.getMetrics().getValues()
                    .get(MetricNames.GENERATION)).sorted().toList());
            MultiLayerNetwork last = (MultiLayerNetwork) SafeModelLoader.load(p.artifact(done)).model();
            assertEquals(16 * 16, last.getLayer(0).getParam("W").columns(), "16 units doubled four times");

            ModelVersion capped = p.awaitVersions(1, Duration.ofMinutes(2), "capped_out").get(0);
            assertEquals(1.0, capped.getMetrics().getValues().get("grow.limitReached"));
            assertTrue(capped.getLabels().get(GrowerService.LIMIT_LABEL).startsWith("maxParams"), capped.getLabels().toString());
            assertEquals((double) small.numParams(), capped.getMetrics().getValues().get("params"), "its input, unchanged");

            ModelVersion expanded = p.awaitVersions(1, Duration.ofMinutes(2), "expanded").get(0);
            assertEquals("grown1_dense1,grown1_dense2,grown1_add", expanded.getLabels().get(TrainOnly.LABEL));
            ModelVersion healed = p.awaitVersions(1, Duration.ofMinutes(2), "healed").get(0);
            assertFalse(healed.getLabels().containsKey(TrainOnly.LABEL), "honoured once, then removed: " + healed.getLabels());
            ComputationGraph before = (ComputationGraph) SafeModelLoader.load(p.artifact(expanded)).model();
            ComputationGraph after = (ComputationGraph) SafeModelLoader.load(p.artifact(healed)).model();
            for (String old : new String[] {"stem", "block1_dense1", "block1_dense2", "output"}) {
                assertEquals(before.getLayer(old).params(), after.getLayer(old).params(), old + " stayed frozen");
            }
            assertNotEquals(before.getLayer("grown1_dense2").params(), after.getLayer("grown1_dense2").params(),
                    "the new block trained from zero");
        }
    }
}
