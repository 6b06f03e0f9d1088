package dev.topiary.cutter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.events.ModelVersion;
import dev.topiary.events.OperationKind;
import dev.topiary.events.Progress;
import dev.topiary.events.ProgressState;
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
import org.junit.jupiter.api.Test;

/**
 * train → cut on the real embedded broker: the cut version has fewer layers, params and MACs, says
 * which blocks went and every candidate's score, its artifact loads; a model with nothing to cut
 * and one with a layer type the cut cannot handle reach the dead-letter topic with the reason; a
 * dry run commits its input, publishes no version and puts its scored report on the progress topic.
 */
class CutterPipelineTest {

    @Test
    void trainThenCutPublishesAShorterVersion() throws Exception {
        try (PipelineHarness p = PipelineHarness.start("""
                dataset: fashion-mnist?train=3000&test=1000
                stages:
                  - name: train
                    uses: train
                    from: ${p}.new
                    to: ${p}.trained
                    with: {epochs: 2, batchSize: 64, learningRate: 0.002, seed: 7}
                  - name: cut
                    uses: cut
                    from: ${p}.trained
                    to: ${p}.shorter
                    with: {criterion: angular, blocks: 2, finetuneEpochs: 1}
                    routes:
                      - when: cut.cuts < 2
                        to: ${p}.undercut
                  - name: plain
                    uses: cut
                    from: ${p}.plain
                    to: ${p}.never
                    with: {blocks: 1}
                  - name: odd
                    uses: cut
                    from: ${p}.odd
                    to: ${p}.never
                    with: {blocks: 1}
                  - name: look
                    uses: cut
                    from: ${p}.look
                    to: ${p}.looked
                    with: {blocks: 1, dryRun: true, finetuneEpochs: 2}
                """, Map.of("train", new TrainerService(), "cut", new CutterService()))) {
            p.publish(root(ModelFactory.resmlp(784, 32, 3, 10, 7)), "new");
            p.publish(root(ModelFactory.mlp(1, new int[] {784, 32, 10})), "plain");
            p.publish(root(UnsupportedModels.elementWiseMultiplication()), "odd");
            ModelVersion toLook = p.publish(root(ModelFactory.resmlp(784, 16, 3, 10, 3)), "look");

            List<ModelVersion> out = p.awaitVersions(2, Duration.ofMinutes(6), "trained", "shorter");
            ModelVersion trained = PipelineHarness.byStage(out, "train");
            ModelVersion cut = PipelineHarness.byStage(out, "cut");
            Map<String, Double> t = trained.getMetrics().getValues();
            Map<String, Double> c = cut.getMetrics().getValues();

            assertEquals(OperationKind.CUT, cut.getOperation().getKind());
            assertEquals(List.of(trained.getId()), cut.getParents());
            assertTrue(cut.getSelectionSplit().startsWith("holdout of fashion-mnist"), cut.getSelectionSplit());
            assertEquals(2.0, c.get("cut.cuts"));
            assertEquals(3.0, c.get("cut.units"));
            assertTrue(c.get("cut.angular") > 0, c.toString());
            assertEquals(t.get("layers") - 4, c.get("layers"), "two Dense layers per block: " + t + " vs " + c);
            assertEquals(t.get("params") - 2 * 2 * (32 * 32 + 32), c.get("params"));
            assertTrue(c.get("macs") < t.get("macs") && cut.getChanges().get("macs") < 0);
            assertTrue(c.get("latencyMs") > 0);
            assertTrue(c.get("accuracy") > 0.6, "healed accuracy " + c.get("accuracy") + " vs " + t.get("accuracy"));
            for (String name : c.keySet()) {
                assertTrue(MetricNames.isStandard(name) || MetricNames.kindOf(name).isPresent()
                        && ServiceKinds.catalog().metricsOf(MetricNames.kindOf(name).get()).contains(name), "undeclared " + name);
            }
            Map<String, String> labels = cut.getLabels();
            assertEquals("angular", labels.get("cutCriterion"));
            assertEquals(2, labels.get("cutRemoved").split(",").length, labels.toString());
            for (String block : List.of("block1=", "block2=", "block3=")) {
                assertTrue(labels.get("cutScores").contains(block), labels.toString());
            }
            Model loaded = SafeModelLoader.load(p.artifact(cut)).model();
            assertEquals(c.get("params"), (double) loaded.numParams());

            String plain = p.awaitDeadLetterReasons("plain", 1).get(0);
            assertTrue(plain.contains("no residual block and no layer with equal input and output shape"), plain);
            String odd = p.awaitDeadLetterReasons("odd", 1).get(0);
            assertTrue(odd.contains("ElementWiseMultiplication") && odd.contains("cut"), odd);

            // a dry run: its report reaches the progress topic after its input is committed, and no version is made
            Progress report = p.awaitProgress("look", r -> r.getState() == ProgressState.DONE, Duration.ofMinutes(2));
            String m = report.getMessage();
            assertEquals(toLook.getId(), report.getInputId());
            assertTrue(m.startsWith("dry run: would cut block") && m.contains(" of 3 units (criterion loss)"), m);
            assertTrue(m.contains("block1=") && m.contains("block2=") && m.contains("block3="), m);
            assertTrue(m.contains("params " + (784 * 16 + 16 + 3 * 2 * (16 * 16 + 16) + 16 * 10 + 10) + " -> "
                    + (784 * 16 + 16 + 2 * 2 * (16 * 16 + 16) + 16 * 10 + 10)), m);
            assertTrue(m.contains("(unhealed)"), "a dry run does not heal: " + m);
            assertEquals(1, p.processed("look"), "the input is committed");
            assertEquals(List.of(), p.readVersions("looked"));
        }
    }

    private static VersionPublisher.RootVersion root(Model net) {
        return ModelEvents.root(net, ModelArtifacts.save(net, true), OperationKind.NEW, Map.of());
    }
}
