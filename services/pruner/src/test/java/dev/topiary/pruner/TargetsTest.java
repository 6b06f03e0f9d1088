package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.pruner.importance.Importances;
import dev.topiary.pruner.selection.Baseline;
import dev.topiary.pruner.selection.MinimumWidth;
import dev.topiary.pruner.selection.StructuredPruner;
import dev.topiary.pruner.selection.StructuredTarget;
import dev.topiary.pruner.unstructured.MagnitudePruner;
import dev.topiary.surgery.UnsupportedModelException;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** Structured targets are met to the neuron and to the MAC; unsupported layers are refused by name. */
class TargetsTest {
    private static final StructuredPruner L2 =
            new StructuredPruner(Importances.named("l2"), MinimumWidth.ONE, null, null);

    @Test
    void keepMacsGlobalReachesTheBudget() {
        MultiLayerNetwork net = TestNets.mlp(64, 48, 32, 10);
        long before = 64 * 48 + 48 * 32 + 32 * 10;
        Baseline baseline = L2.baseline(net);
        assertEquals(before, baseline.macs());
        MultiLayerNetwork small = (MultiLayerNetwork) L2.prune(net, new StructuredTarget.KeepMacs(0.3, true), baseline);
        long after = denseMacs(small);
        assertEquals(after, L2.macs(small), "the pruner counts MACs as nIn * nOut per layer");
        assertTrue(after <= 0.3 * before, after + " > 0.3 * " + before);
        // greedy: one neuron fewer removed would be over budget, so it stopped as soon as it could
        assertTrue(after > 0.3 * before - 64 - 32 - 48 - 10, "not pruned far past the budget: " + after);
    }

    @Test
    void keepMacsPerLayerOnCnnReachesTheBudget() {
        MultiLayerNetwork net = TestNets.cnn();
        Baseline baseline = L2.baseline(net);
        // conv1 8*8*3*3*1*6, conv2 2*2*3*3*6*8 (4x4 after pooling, 3x3 valid), dense 8*2*2*10, output 10*3
        assertEquals(8 * 8 * 9 * 6 + 2 * 2 * 9 * 6 * 8 + 32 * 10 + 10 * 3, baseline.macs());
        Model small = L2.prune(net, new StructuredTarget.KeepMacs(0.5, false), baseline);
        assertTrue(L2.macs(small) <= 0.5 * baseline.macs());
        ((MultiLayerNetwork) small).output(TestNets.randomRows(2, 64, 9));
    }

    @Test
    void structuredSparsityRemovesTheAskedShareToTheNeuron() {
        MultiLayerNetwork net = TestNets.mlp(20, 30, 17, 4);
        Baseline baseline = L2.baseline(net);
        MultiLayerNetwork global = (MultiLayerNetwork) L2.prune(net, new StructuredTarget.Sparsity(0.4, true, Map.of()), baseline);
        assertEquals(Math.round(0.4 * 47), 47 - nOut(global, 0) - nOut(global, 1));
        MultiLayerNetwork perLayer = (MultiLayerNetwork) L2.prune(net, new StructuredTarget.Sparsity(0.4, false, Map.of()), baseline);
        assertEquals(30 - Math.round(0.4 * 30), nOut(perLayer, 0));
        assertEquals(17 - Math.round(0.4 * 17), nOut(perLayer, 1));
        assertEquals(4, nOut(perLayer, 2), "the output layer keeps its classes");
    }

    @Test
    void minimumWidthIsKept() {
        MultiLayerNetwork net = TestNets.mlp(20, 30, 10, 4);
        StructuredPruner pruner = new StructuredPruner(Importances.named("l1"), MinimumWidth.of(0.25), null, null);
        MultiLayerNetwork small = (MultiLayerNetwork) pruner.prune(net, new StructuredTarget.Sparsity(1.0, false, Map.of()),
                pruner.baseline(net));
        assertEquals(8, nOut(small, 0));
        assertEquals(3, nOut(small, 1));
    }

    @Test
    void roundToKeepsMultiplesAndTheMacBudget() {
        MultiLayerNetwork net = TestNets.mlp(64, 48, 32, 10);
        StructuredPruner by4 = new StructuredPruner(Importances.named("l2"), MinimumWidth.ONE, null, null, 4);
        Baseline baseline = by4.baseline(net);
        MultiLayerNetwork perLayer = (MultiLayerNetwork) by4.prune(net, new StructuredTarget.Sparsity(0.4, false, Map.of()),
                baseline);
        assertEquals(28, nOut(perLayer, 0), "48 - 19 = 29 kept, to the nearest multiple of 4");
        assertEquals(20, nOut(perLayer, 1), "32 - 13 = 19 kept, to the nearest multiple of 4");
        MultiLayerNetwork global = (MultiLayerNetwork) by4.prune(net, new StructuredTarget.KeepMacs(0.3, true), baseline);
        assertEquals(0, nOut(global, 0) % 4);
        assertEquals(0, nOut(global, 1) % 4);
        assertTrue(by4.macs(global) <= 0.3 * baseline.macs(), by4.macs(global) + " over budget");
        Model cnn = by4.prune(TestNets.cnn(), new StructuredTarget.KeepMacs(0.5, false), by4.baseline(TestNets.cnn()));
        assertEquals(4, nOut((MultiLayerNetwork) cnn, 0), "conv1: 6 filters to a multiple of 4");
        ((MultiLayerNetwork) cnn).output(TestNets.randomRows(2, 64, 9));
    }

    @Test
    void structuredOverrideOfTheOutputLayerIsRefused() {
        MultiLayerNetwork net = TestNets.mlp(20, 30, 10, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> L2.prune(net,
                new StructuredTarget.Sparsity(0, false, Map.of("output", 0.5)), L2.baseline(net)));
        assertTrue(e.getMessage().contains("'output'") && e.getMessage().contains("[dense1, dense2]"), e.getMessage());
    }

    @Test
    void unsupportedLayerIsRefusedByNameTypeAndOperation() {
        UnsupportedModelException structured = assertThrows(UnsupportedModelException.class,
                () -> L2.baseline(TestNets.withLstm()));
        assertTrue(structured.getMessage().startsWith("prune: layer 'lstm1' of type LSTM is not supported (supported: "),
                structured.getMessage());
        UnsupportedModelException magnitude = assertThrows(UnsupportedModelException.class,
                () -> new MagnitudePruner(MagnitudePruner.Scope.GLOBAL, 0.5, Map.of()).prune(TestNets.withLstm()));
        assertTrue(magnitude.getMessage().contains("'lstm1' of type LSTM"), magnitude.getMessage());
    }

    static long nOut(MultiLayerNetwork net, int layer) {
        return ((FeedForwardLayer) net.getLayerWiseConfigurations().getConf(layer).getLayer()).getNOut();
    }

    static long denseMacs(MultiLayerNetwork net) {
        long macs = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            FeedForwardLayer l = (FeedForwardLayer) net.getLayerWiseConfigurations().getConf(i).getLayer();
            macs += l.getNIn() * l.getNOut();
        }
        return macs;
    }
}
