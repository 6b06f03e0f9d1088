package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.CompactArtifact;
import dev.topiary.nn.model.LoadedModel;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.recovery.FineTuner;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The models Topiary builds (LeNet with batch normalisation, the residual MLP) prune to the MACs
 * asked for, agree with nn's MAC count, and their compact artifacts pass nn's safe loader.
 */
class FactoryModelsTest {

    @Test
    void lenetWithBatchNormPrunesToHalfTheMacs() {
        MultiLayerNetwork net = ModelFactory.cnn(1, true);
        PruneResult r = prune(net, "activation", 784);
        Model loaded = roundTrip(r.model());
        ((MultiLayerNetwork) loaded).output(TestNets.randomRows(2, 784, 3));
    }

    @Test
    void residualMlpPrunesToHalfTheMacs() {
        ComputationGraph net = ModelFactory.resmlp(784, 32, 2, 10, 1);
        PruneResult r = prune(net, "taylor", 784);
        Model loaded = roundTrip(r.model());
        ((ComputationGraph) loaded).outputSingle(TestNets.randomRows(2, 784, 3));
    }

    private static PruneResult prune(Model net, String importance, int features) {
        INDArray x = TestNets.randomRows(64, features, 4);
        INDArray y = TestNets.labels(64, 10);
        Dataset data = new Dataset("random", "test", x, y, x, y, 10, null);
        PruneResult r = Pruning.apply(net, PruneSpec.fromMap(Map.of("method", "structured", "keepMacs", 0.5,
                "importance", importance, "importanceSamples", 64, "finetuneEpochs", 0)), data, FineTuner.NONE);
        assertTrue(r.stats().get("macsAfter") <= 0.5 * r.stats().get("macsBefore"), r.stats().toString());
        assertEquals(r.stats().get("macsBefore"), (double) ModelMetrics.macs(net), "same MAC convention as nn");
        assertEquals(r.stats().get("macsAfter"), (double) ModelMetrics.macs(r.model()), "same MAC convention as nn");
        return r;
    }

    private static Model roundTrip(Model model) {
        LoadedModel loaded = SafeModelLoader.load(CompactArtifact.write(model));
        assertEquals(model.params(), loaded.model().params());
        return loaded.model();
    }
}
