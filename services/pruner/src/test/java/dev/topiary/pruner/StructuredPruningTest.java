package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.pruner.importance.MagnitudeImportance;
import dev.topiary.pruner.importance.Normalizer;
import dev.topiary.pruner.importance.Reduction;
import dev.topiary.pruner.selection.MinimumWidth;
import dev.topiary.pruner.selection.StructuredPruner;
import dev.topiary.pruner.selection.StructuredTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Structured pruning removes channels that carry nothing and leaves the function unchanged. */
class StructuredPruningTest {
    private static final StructuredPruner L1 = new StructuredPruner(
            new MagnitudeImportance(1, true, Reduction.SUM, Normalizer.MEAN), MinimumWidth.ONE, null, null);

    @Test
    void mlpWithDeadNeuronsPrunesExactly() {
        MultiLayerNetwork net = TestNets.mlp(20, 16, 12, 4);
        zeroDenseNeurons(net.getLayer(0).getParam("W"), net.getLayer(0).getParam("b"), 1, 5, 7);
        zeroDenseNeurons(net.getLayer(1).getParam("W"), net.getLayer(1).getParam("b"), 0, 3);
        INDArray x = TestNets.randomRows(32, 20, 1);
        INDArray before = net.output(x);

        Model pruned = L1.prune(net, new StructuredTarget.Sparsity(0, false,
                Map.of("dense1", 3 / 16.0, "dense2", 2 / 12.0)), L1.baseline(net));

        MultiLayerNetwork small = (MultiLayerNetwork) pruned;
        assertEquals(13, nOut(small, 0));
        assertEquals(13, nIn(small, 1));
        assertEquals(10, nOut(small, 1));
        assertEquals(10, nIn(small, 2));
        assertEquals(4, nOut(small, 2));
        assertTrue(small.output(x).equalsWithEps(before, 1e-5), "pruned MLP computes the same function");
    }

    @Test
    void cnnWithDeadFiltersPrunesExactlyThroughBatchNormAndFlatten() throws Exception {
        MultiLayerNetwork net = TestNets.cnn();
        // BN shifts a dead filter to a non-zero constant, so conv1's dead filters must also lose their
        // influence on conv2; conv2's dead filters output relu(0) = 0 into the flattened dense input.
        net.getLayer(1).getParam("beta").assign(0.5);
        net.getLayer(1).getParam("mean").assign(0.1);
        INDArray w1 = net.getLayer(0).getParam("W");
        INDArray w2 = net.getLayer(3).getParam("W");
        for (int f : new int[] {2, 4}) {
            w1.get(NDArrayIndex.point(f), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
            net.getLayer(0).getParam("b").putScalar(f, 0);
            w2.get(NDArrayIndex.all(), NDArrayIndex.point(f), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
        }
        for (int f : new int[] {1, 6}) {
            w2.get(NDArrayIndex.point(f), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
            net.getLayer(3).getParam("b").putScalar(f, 0);
        }
        INDArray x = TestNets.randomRows(16, 64, 2);
        INDArray before = net.output(x);

        MultiLayerNetwork small = (MultiLayerNetwork) L1.prune(net, new StructuredTarget.Sparsity(0, false,
                Map.of("conv1", 2 / 6.0, "conv2", 2 / 8.0)), L1.baseline(net));

        assertEquals(4, nOut(small, 0));
        assertEquals(4, nOut(small, 1));
        assertEquals(4, small.getLayer(1).getParam("gamma").length());
        assertEquals(4, nIn(small, 3));
        assertEquals(6, nOut(small, 3));
        CnnToFeedForwardPreProcessor flatten =
                (CnnToFeedForwardPreProcessor) small.getLayerWiseConfigurations().getInputPreProcess(4);
        assertEquals(6, flatten.getNumChannels());
        assertEquals(6 * flatten.getInputHeight() * flatten.getInputWidth(), nIn(small, 4));
        assertTrue(small.output(x).equalsWithEps(before, 1e-5), "pruned CNN computes the same function");

        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(save(small)));
        assertTrue(loaded.output(x).equalsWithEps(before, 1e-5), "saved and loaded pruned CNN still runs the same");
    }

    @Test
    void residualGraphPrunesTiedChannelsTogether() throws Exception {
        ComputationGraph net = TestNets.residual(12, 10, 3);
        // Channels 2 and 7 of the residual stream are zero in every tensor that carries them.
        for (String layer : new String[] {"stem", "b1_dense2", "b2_dense2"}) {
            zeroDenseNeurons(net.getLayer(layer).getParam("W"), net.getLayer(layer).getParam("b"), 2, 7);
        }
        zeroDenseNeurons(net.getLayer("b1_dense1").getParam("W"), net.getLayer("b1_dense1").getParam("b"), 0, 4);
        INDArray x = TestNets.randomRows(16, 12, 3);
        INDArray before = net.outputSingle(x);

        ComputationGraph small = (ComputationGraph) L1.prune(net, new StructuredTarget.Sparsity(0, false,
                Map.of("stem", 0.2, "b1_dense1", 0.2)), L1.baseline(net));

        for (String tied : new String[] {"stem", "b1_dense2", "b2_dense2"}) {
            assertEquals(8, ((FeedForwardLayer) small.getLayer(tied).conf().getLayer()).getNOut(), tied);
        }
        assertEquals(8, ((FeedForwardLayer) small.getLayer("b1_dense1").conf().getLayer()).getNOut());
        assertEquals(10, ((FeedForwardLayer) small.getLayer("b2_dense1").conf().getLayer()).getNOut());
        assertArrayEquals(new long[] {8, 3}, small.getLayer("output").getParam("W").shape());
        assertTrue(small.outputSingle(x).equalsWithEps(before, 1e-5), "pruned residual graph computes the same function");

        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(save(small)));
        assertTrue(loaded.outputSingle(x).equalsWithEps(before, 1e-5));
    }

    static void zeroDenseNeurons(INDArray w, INDArray b, int... neurons) {
        for (int n : neurons) {
            w.getColumn(n).assign(0);
            b.putScalar(n, 0);
        }
    }

    static long nOut(MultiLayerNetwork net, int layer) {
        return ((FeedForwardLayer) net.getLayerWiseConfigurations().getConf(layer).getLayer()).getNOut();
    }

    static long nIn(MultiLayerNetwork net, int layer) {
        return ((FeedForwardLayer) net.getLayerWiseConfigurations().getConf(layer).getLayer()).getNIn();
    }

    static byte[] save(Model model) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model, out, false);
        return out.toByteArray();
    }
}
