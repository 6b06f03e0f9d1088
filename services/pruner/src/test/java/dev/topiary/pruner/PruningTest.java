package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.recovery.FineTuner;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.TrainingListener;
import dev.topiary.pruner.schedule.Schedule;
import dev.topiary.pruner.unstructured.MagnitudePruner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The entry point: parameters in, pruned model and stats out, the input untouched. */
class PruningTest {

    @Test
    void magnitudeAgpReachesSparsityAndLeavesInputAlone() {
        MultiLayerNetwork net = TestNets.mlp(20, 24, 12, 4);
        INDArray original = net.params().dup();
        PruneSpec spec = PruneSpec.fromMap(Map.of("method", "magnitude", "scope", "global", "sparsity", 0.8,
                "schedule", "agp", "steps", 3, "finetuneEpochs", 1));
        PruneResult r = Pruning.apply(net, spec, data(), TrainingListener.NONE); // the shared trainer
        assertEquals(Math.round(0.8 * 816) / 816.0, r.stats().get("weightSparsity"), 1e-12);
        assertEquals(3.0, r.stats().get("finetuneEpochs"));
        assertEquals(original, net.params(), "the caller's model is not changed");
    }

    @Test
    void magnitudeGradualReachesSparsityExactlyWithMasksHeldThroughTraining() {
        MultiLayerNetwork net = TestNets.mlp(20, 24, 12, 4);
        PruneSpec spec = PruneSpec.fromMap(Map.of("method", "magnitude", "sparsity", 0.8, "schedule", "gradual",
                "steps", 5, "finetuneEpochs", 8, "finetuneLearningRate", 5e-3, "finetuneWeightDecay", 0.0, "distill", 0.5));
        List<Double> seen = new ArrayList<>();
        FineTuner trainer = Pruning.fineTuner(net, spec, data(), null);
        FineTuner watched = (model, epochs, afterStep) -> trainer.fineTune(model, epochs, new StepHook() {
            @Override
            public void afterStep(Model m) {
                afterStep.afterStep(m);
            }

            @Override
            public void afterStep(Model m, long step, long total) {
                afterStep.afterStep(m, step, total);
                seen.add(MagnitudePruner.weightSparsity(m));
            }
        });
        PruneResult r = Pruning.apply(net, spec, data(), watched);
        double exact = Math.round(0.8 * 816) / 816.0;
        assertEquals(exact, r.stats().get("weightSparsity"), 1e-12, "pruned weights stayed exactly zero");
        assertEquals(8.0, r.stats().get("finetuneEpochs"), "one run of finetuneEpochs");
        assertEquals(16, seen.size(), "2 steps per epoch");
        assertTrue(seen.get(0) > 0 && seen.get(0) < exact, "the first cut is a small one: " + seen);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "sparsity never falls: " + seen);
        }
        assertEquals(exact, seen.get(9), 1e-12, "full sparsity within the first 0.6 of the run: " + seen);
        assertEquals(exact, seen.get(seen.size() - 1), 1e-12);
    }

    @Test
    void structuredKeepMacsMeetsBudget() {
        MultiLayerNetwork net = TestNets.mlp(20, 24, 12, 4);
        PruneSpec spec = PruneSpec.fromMap(Map.of("method", "structured", "keepMacs", 0.5, "importance", "taylor",
                "finetuneEpochs", 1));
        PruneResult r = Pruning.apply(net, spec, data(), fitter());
        assertTrue(r.stats().get("macsAfter") <= 0.5 * r.stats().get("macsBefore"), r.stats().toString());
        assertTrue(r.stats().get("channelsAfter") < r.stats().get("channelsBefore"));
        ((MultiLayerNetwork) r.model()).output(data().testFeatures());
    }

    @Test
    void structuredAgpEndsAtTheTargetOfTheOriginal() {
        MultiLayerNetwork net = TestNets.mlp(20, 24, 12, 4);
        PruneSpec spec = PruneSpec.fromMap(Map.of("method", "structured", "sparsity", 0.5, "scope", "layer",
                "schedule", "agp", "steps", 3, "finetuneEpochs", 0));
        MultiLayerNetwork small = (MultiLayerNetwork) Pruning.apply(net, spec, data(), FineTuner.NONE).model();
        assertEquals(12, TargetsTest.nOut(small, 0));
        assertEquals(6, TargetsTest.nOut(small, 1));
    }

    @Test
    void accuracyBudgetTakesTheUpperBoundWhenItFits() {
        MultiLayerNetwork net = TestNets.mlp(20, 24, 12, 4);
        PruneSpec spec = PruneSpec.fromMap(Map.of("method", "structured", "sparsity", 0.5, "maxAccuracyDrop", 1.0,
                "finetuneEpochs", 0));
        PruneResult r = Pruning.apply(net, spec, data(), FineTuner.NONE);
        assertEquals(0.5, r.stats().get("amount"));
        assertEquals(1.0, r.stats().get("searchProbes"));
    }

    @Test
    void accuracyBudgetBisectsWhenTheUpperBoundCostsTooMuch() {
        MultiLayerNetwork net = TestNets.mlp(20, 24, 12, 4);
        fitter().fineTune(net, 30, m -> { });
        PruneSpec spec = PruneSpec.fromMap(Map.of("method", "magnitude", "maxAccuracyDrop", 0.0, "finetuneEpochs", 0,
                "searchProbes", 4));
        PruneResult r = Pruning.apply(net, spec, data(), FineTuner.NONE);
        assertEquals(4.0, r.stats().get("searchProbes"));
        assertTrue(r.stats().get("amount") < Pruning.DEFAULT_MAX_SPARSITY);
        assertTrue(r.stats().get("holdoutAccuracyAfter") >= r.stats().get("holdoutAccuracyBefore") - 1e-12, r.stats().toString());
        // the search chose on the holdout (never on the test split the version reports)
        assertEquals(ModelMetrics.holdoutScore(r.model(), data()).accuracy(), r.stats().get("holdoutAccuracyAfter"), 1e-12);
        assertEquals(ModelMetrics.holdoutScore(net, data()).accuracy(), r.stats().get("holdoutAccuracyBefore"), 1e-12);
    }

    @Test
    void specParsesDefaultsAndSchedules() {
        PruneSpec spec = PruneSpec.fromMap(Map.of("sparsity", 0.9, "schedule", "agp"));
        assertEquals(PruneSpec.Method.MAGNITUDE, spec.method());
        assertTrue(spec.global());
        assertEquals(Schedule.agp(5), spec.schedule());
        PruneSpec gradual = PruneSpec.fromMap(Map.of("sparsity", 0.9, "schedule", "gradual", "finetuneEpochs", 10));
        assertEquals(Schedule.gradual(30), gradual.schedule());
        assertEquals(0.6, gradual.pruneUntil());
        assertEquals(0.01, gradual.finetuneWeightDecay());
        assertEquals(10, gradual.totalFinetuneEpochs());
        assertEquals(15, PruneSpec.fromMap(Map.of("sparsity", 0.9, "schedule", "agp", "finetuneEpochs", 3))
                .totalFinetuneEpochs());
        assertEquals(1 - Math.pow(0.8, 3), Schedule.agp(5).progress(1), 1e-12); // s_t = s_f (1 - (1 - t/n)^3)
        assertEquals(1.0, Schedule.agp(5).progress(5));
    }

    @Test
    void badParametersAreNamed() {
        assertMessage(Map.of("sparsity", 1.5), "'sparsity' must be a fraction in [0, 1]");
        assertMessage(Map.of("sparsity", 0.5, "scope", "model"), "'scope' must be one of [global, layer]");
        assertMessage(Map.of("sparsity", 0.5, "importance", "l1"), "'importance' applies to method structured only");
        assertMessage(Map.of("method", "structured", "sparsity", 0.5, "importance", "l3"), "'importance' must be one of");
        assertMessage(Map.of("method", "magnitude"), "needs a target");
        assertMessage(Map.of("sparsity", 0.5, "sparsty", 0.5), "unknown parameter 'sparsty'");
        assertMessage(Map.of("sparsity", 0.5, "layers", Map.of("dense1", "lots")), "'layers.dense1'");
        assertMessage(Map.of("method", "structured", "keepMacs", 0.0), "'keepMacs' must be a fraction in (0, 1]");
        assertMessage(Map.of("sparsity", 0.5, "schedule", "agp", "steps", 0), "'steps' must be at least 1");
        assertMessage(Map.of("method", "structured", "sparsity", 0.5, "minPerLayer", 2.5), "'minPerLayer'");
        assertMessage(Map.of("method", "structured", "keepMacs", 0.5, "layers", Map.of("dense1", 0.5)),
                "'layers' applies to 'sparsity' targets");
        assertMessage(Map.of("sparsity", 0.5, "schedule", "sometimes"), "'schedule' must be one of");
        assertMessage(Map.of("sparsity", 0.5, "schedule", "agp", "pruneUntil", 0.5),
                "'pruneUntil' applies to schedule gradual only");
        assertMessage(Map.of("sparsity", 0.5, "schedule", "gradual", "pruneUntil", 0.0), "'pruneUntil' must be a fraction in (0, 1]");
        assertMessage(Map.of("sparsity", 0.5, "schedule", "gradual", "pruneUntil", 1.5), "'pruneUntil' must be a fraction in (0, 1]");
        assertMessage(Map.of("sparsity", 0.5, "schedule", "gradual", "finetuneEpochs", 0), "'finetuneEpochs' must be at least 1");
        assertMessage(Map.of("method", "structured", "sparsity", 0.5, "schedule", "gradual"),
                "schedule gradual applies to method magnitude only");
        assertMessage(Map.of("sparsity", 0.5, "distill", 1.5), "'distill' must be a fraction in [0, 1]");
        assertMessage(Map.of("sparsity", 0.5, "distill", 0.5, "finetuneEpochs", 0), "'distill' needs fine-tuning");
        assertMessage(Map.of("sparsity", 0.5, "finetuneWeightDecay", -0.1), "'finetuneWeightDecay' must be zero or a positive number");
        assertMessage(Map.of("sparsity", 0.5, "roundTo", 4), "'roundTo' applies to method structured only");
        assertMessage(Map.of("method", "structured", "sparsity", 0.5, "roundTo", 0), "'roundTo' must be at least 1");
    }

    private static void assertMessage(Map<String, Object> params, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PruneSpec.fromMap(new HashMap<>(params)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** 4 classes decided by which quarter of the features sums highest: learnable by a small MLP. */
    static Dataset data() {
        INDArray train = TestNets.randomRows(256, 20, 21);
        INDArray test = TestNets.randomRows(128, 20, 22);
        return new Dataset("synthetic", "test", train, labelsFor(train), test, labelsFor(test), 4, null);
    }

    private static INDArray labelsFor(INDArray x) {
        INDArray y = Nd4j.zeros(x.dataType(), x.size(0), 4);
        for (int i = 0; i < x.size(0); i++) {
            int best = 0;
            double bestSum = -1;
            for (int c = 0; c < 4; c++) {
                double s = x.getRow(i).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(c * 5, c * 5 + 5)).sumNumber().doubleValue();
                if (s > bestSum) {
                    bestSum = s;
                    best = c;
                }
            }
            y.putScalar(i, best, 1);
        }
        return y;
    }

    /** Full-batch fitting with the after-step action as a listener: enough to exercise the schedule. */
    static FineTuner fitter() {
        Dataset d = data();
        DataSet batch = new DataSet(d.trainFeatures(), d.trainLabels());
        return (model, epochs, afterStep) -> {
            BaseTrainingListener hook = new BaseTrainingListener() {
                @Override
                public void iterationDone(Model m, int iteration, int epoch) {
                    afterStep.afterStep(m);
                }
            };
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            net.setListeners(hook);
            for (int e = 0; e < epochs; e++) {
                net.fit(batch);
            }
            net.setListeners();
        };
    }
}
