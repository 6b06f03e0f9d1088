package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.pruner.graph.NetworkView;
import dev.topiary.pruner.unstructured.MagnitudePruner;
import dev.topiary.pruner.unstructured.MagnitudePruner.Scope;
import dev.topiary.pruner.unstructured.PruningMask;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Magnitude pruning hits its targets to the weight and its mask holds through training. */
class MagnitudePruningTest {

    @Test
    void layerScopePrunesEachLayerToItsFraction() {
        MultiLayerNetwork net = TestNets.mlp(30, 20, 10, 4);
        net.getLayer(0).getParam("b").assign(1e-4); // smaller than any weight, yet never pruned
        PruningMask mask = new MagnitudePruner(Scope.LAYER, 0.7, Map.of("output", 0.25)).prune(net);
        assertEquals(Math.round(0.7 * 600), zeros(net.getLayer(0).getParam("W")));
        assertEquals(Math.round(0.7 * 200), zeros(net.getLayer(1).getParam("W")));
        assertEquals(Math.round(0.25 * 40), zeros(net.getLayer(2).getParam("W")));
        assertEquals(0, zeros(net.getLayer(0).getParam("b")), "biases are not pruned");
        assertEquals(420 + 140 + 10, mask.pruned());
    }

    @Test
    void globalScopeReachesTotalSparsityToTheWeight() {
        MultiLayerNetwork net = TestNets.mlp(30, 20, 10, 4);
        new MagnitudePruner(Scope.GLOBAL, 0.9, Map.of()).prune(net);
        long total = 600 + 200 + 40;
        long zeros = zeros(net.getLayer(0).getParam("W")) + zeros(net.getLayer(1).getParam("W"))
                + zeros(net.getLayer(2).getParam("W"));
        assertEquals(Math.round(0.9 * total), zeros);
        assertEquals(Math.round(0.9 * total) / (double) total, MagnitudePruner.weightSparsity(net), 1e-12);
    }

    @Test
    void theSmallestGoAcrossLayersWithTiesTakenInPositionOrder() {
        MultiLayerNetwork net = TestNets.mlp(30, 20, 10, 4);
        INDArray w0 = net.getLayer(0).getParam("W");
        INDArray w1 = net.getLayer(1).getParam("W");
        INDArray w2 = net.getLayer(2).getParam("W");
        w0.assign(0.5);
        w1.assign(0.5);
        w2.assign(0.9);
        w1.putScalar(0, 0, 0.1); // the one smallest weight, in the second layer
        // 0.5 of 840 weights: the 0.1, then 419 of the 800 tied at 0.5, first positions first
        new MagnitudePruner(Scope.GLOBAL, 0.5, Map.of()).prune(net);
        assertEquals(0.0, w1.getDouble(0, 0));
        assertEquals(419, zeros(w0), "the first layer's ties come first");
        assertEquals(1, zeros(w1));
        assertEquals(0, zeros(w2), "the largest weights stay");
        INDArray flat = w0.dup('c').reshape(-1);
        assertEquals(0.0, flat.getDouble(418));
        assertEquals(0.5, flat.getDouble(419), "ties go in position order");
    }

    @Test
    void maskKeepsPrunedWeightsZeroThroughTrainerFineTuning() {
        assertMaskHolds(TestNets.mlp(20, 24, 12, 4), PruningTest.data()); // the trainer's fast dense engine
    }

    @Test
    void maskKeepsPrunedWeightsZeroThroughDl4jFitOfACnn() {
        Dataset data = PruningTest.data();
        INDArray x = TestNets.randomRows(256, 64, 31);
        assertMaskHolds(TestNets.cnn(), new Dataset("images", "test", x, data.trainLabels().getColumns(0, 1, 2),
                x, data.trainLabels().getColumns(0, 1, 2), 3, new int[] {1, 8, 8}));
    }

    private static void assertMaskHolds(Model net, Dataset data) {
        PruningMask mask = new MagnitudePruner(Scope.GLOBAL, 0.8, Map.of()).prune(net);
        long pruned = mask.pruned();
        INDArray before = net.params().dup();
        new Trainer(TrainingConfig.defaults().withEpochs(2).withBatchSize(32)).fit(net, data, null, mask::apply);
        assertTrue(!net.params().equalsWithEps(before, 1e-6), "training changed the surviving weights");
        NetworkView view = NetworkView.of(net, "test");
        mask.masks().forEach((layer, m) -> {
            INDArray w = view.params(view.node(layer)).get("W");
            assertEquals(0.0, w.mul(m.rsub(1)).norm1Number().doubleValue(), 0.0, layer + ": a pruned weight moved");
        });
        assertEquals(pruned, Math.round(MagnitudePruner.weightSparsity(net) * mask.total()));
    }

    @Test
    void unknownOverrideLayerIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MagnitudePruner(Scope.LAYER, 0.5, Map.of("dense9", 0.5)).prune(TestNets.mlp(4, 4, 4, 2)));
        assertTrue(e.getMessage().contains("'dense9'"), e.getMessage());
    }

    static long zeros(INDArray a) {
        return a.length() - a.neq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.LONG).sumNumber().longValue();
    }
}
