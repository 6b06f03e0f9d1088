package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.merger.neurons.Compensation;
import dev.topiary.merger.neurons.Fractions;
import dev.topiary.merger.neurons.NeuronMerging;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.StepHook;
import dev.topiary.nn.train.Trainer;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.surgery.graph.Network;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Neuron merging. A unit whose incoming weights are twice another's merges with no change of
 * function under either compensation (ReLU is positively homogeneous), the layer physically one
 * unit smaller. A linear unit that is a mix of two others plus a constant is re-expressed exactly
 * by least squares, with the readers' rows and bias worked out by hand, where the pair rule cannot
 * be exact. On a trained MLP, least squares on Gaussian inputs keeps the outputs closer than the
 * pair rule. Per-layer fractions merge only the layers named. A similarity threshold no pair
 * reaches merges nothing and says so.
 */
class NeuronMergingTest {
    private static final Compensation GAUSSIAN = Compensation.LeastSquares.gaussian(6, 512, 1);
    /** A quarter of the layer named linear, one unit of four, and nothing of the layer after it. */
    private static final Fractions LINEAR_QUARTER = Fractions.byLayer(Map.of("linear", 0.25));

    @Test
    void aScaledDuplicateUnitMergesWithoutChangingTheFunction() {
        Network net = Network.of(ModelFactory.mlp(4, new int[] {6, 8, 3}));
        Map<String, INDArray> p = net.params("dense1");
        p.get("W").get(NDArrayIndex.all(), NDArrayIndex.point(5)).assign(p.get("W").get(NDArrayIndex.all(), NDArrayIndex.point(2)).mul(2));
        p.get("b").putScalar(5, p.get("b").getDouble(2) * 2);
        INDArray x = MergeNets.randomRows(3, 32, 6).subi(0.5);

        for (Compensation compensation : List.of(GAUSSIAN, new Compensation.Pairs(0))) {
            NeuronMerging.Result r = NeuronMerging.merge(net, Fractions.every(0.125), compensation);
            assertEquals(Map.of("dense1", 1), r.merged(), compensation.toString());
            assertEquals(7, r.network().params("dense1").get("W").size(1), "physically smaller");
            double diff = MergeNets.maxAbsDiff(net, r.network(), x);
            assertTrue(diff < 1e-5, compensation + ": the same function: " + diff);
        }
    }

    @Test
    void leastSquaresReExpressesALinearMixOfUnitsExactly() {
        // linear layer of 4 units: u2 = 2·u0 − u1 + 3, and u2 sends the least, so it is the unit to go;
        // its reader then reads a0 + 2·a2 from u0, a1 − a2 from u1 and gains 3·a2 in its bias
        Network net = Network.of(MergeNets.linearPair(5, 6, 4, 5));
        INDArray w = net.params("linear").get("W");
        INDArray b = net.params("linear").get("b");
        w.getColumn(2).assign(w.getColumn(0).mul(2).sub(w.getColumn(1)));
        b.putScalar(2, 2 * b.getDouble(0) - b.getDouble(1) + 3);
        INDArray reads = net.params("dense").get("W");
        reads.getRow(2).muli(0.1);
        INDArray a = reads.dup();
        INDArray bias = net.params("dense").get("b").dup();

        NeuronMerging.Result r = NeuronMerging.merge(net, LINEAR_QUARTER, Compensation.LeastSquares.gaussian(6, 256, 2));
        INDArray merged = r.network().params("dense").get("W");
        assertEquals(3, merged.size(0));
        assertEquals(0, merged.getRow(0).sub(a.getRow(0).add(a.getRow(2).mul(2))).amaxNumber().doubleValue(), 1e-4);
        assertEquals(0, merged.getRow(1).sub(a.getRow(1).sub(a.getRow(2))).amaxNumber().doubleValue(), 1e-4);
        assertEquals(0, merged.getRow(2).sub(a.getRow(3)).amaxNumber().doubleValue(), 1e-4, "the independent unit is untouched");
        assertEquals(0, r.network().params("dense").get("b").sub(bias.add(a.getRow(2).mul(3))).amaxNumber().doubleValue(), 1e-4);
        INDArray x = MergeNets.randomRows(3, 32, 6).subi(0.5);
        assertTrue(MergeNets.maxAbsDiff(net, r.network(), x) < 1e-5, "the same function");

        double pairs = MergeNets.maxAbsDiff(net, NeuronMerging.merge(net, LINEAR_QUARTER, new Compensation.Pairs(0)).network(), x);
        assertTrue(pairs > 1e-3, "one unit times c cannot carry a mix of two: " + pairs);
    }

    @Test
    void onATrainedMlpLeastSquaresKeepsTheOutputsCloserThanPairs() {
        Dataset data = DatasetCatalog.resolve("fashion-mnist-small?train=2000&test=500");
        Network net = Network.of(ModelFactory.mlp(7, new int[] {784, 64, 32, 10}));
        new Trainer(TrainingConfig.defaults().withEpochs(3)).fit(net.model(), data, null, StepHook.NONE);
        INDArray before = net.output(data.testFeatures());
        double leastSquares = meanSquaredChange(before, NeuronMerging.merge(net, Fractions.every(0.3),
                Compensation.LeastSquares.gaussian(784, 2048, 42)).network().output(data.testFeatures()));
        double pairs = meanSquaredChange(before, NeuronMerging.merge(net, Fractions.every(0.3), new Compensation.Pairs(0))
                .network().output(data.testFeatures()));
        assertTrue(leastSquares < pairs / 2, "least squares " + leastSquares + ", pairs " + pairs);
    }

    @Test
    void eachNamedLayerMergesItsOwnShareAndTheLayerBeforeItStays() {
        Network net = Network.of(ModelFactory.mlp(4, new int[] {6, 8, 6, 3}));
        NeuronMerging.Result r = NeuronMerging.merge(net, Fractions.byLayer(Map.of("dense2", 0.5)), GAUSSIAN);
        assertEquals(Map.of("dense2", 3), r.merged());
        assertEquals(net.params("dense1").get("W"), r.network().params("dense1").get("W"));
        assertEquals(net.params("dense1").get("b"), r.network().params("dense1").get("b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuronMerging.merge(net, Fractions.byLayer(Map.of("dense9", 0.5)), GAUSSIAN));
        assertTrue(e.getMessage().contains("'dense9'") && e.getMessage().contains("[dense1, dense2]"), e.getMessage());
    }

    @Test
    void aThresholdNoPairReachesIsRefused() {
        Network net = Network.of(ModelFactory.mlp(4, new int[] {6, 8, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuronMerging.merge(net, Fractions.every(0.5), new Compensation.Pairs(0.9999)));
        assertTrue(e.getMessage().contains("nothing to merge") && e.getMessage().contains("0.9999"), e.getMessage());
    }

    private static double meanSquaredChange(INDArray before, INDArray after) {
        INDArray d = before.sub(after);
        return d.mul(d).meanNumber().doubleValue();
    }
}
