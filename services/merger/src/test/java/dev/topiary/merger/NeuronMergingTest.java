package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.merger.neurons.NeuronMerging;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.surgery.graph.Network;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Data-free neuron merging: a unit whose incoming weights are twice another's is merged into it
 * with no change of function (ReLU is positively homogeneous), the layer physically one unit
 * smaller; a similarity threshold no pair reaches merges nothing and says so.
 */
class NeuronMergingTest {

    @Test
    void aScaledDuplicateUnitMergesWithoutChangingTheFunction() {
        Network net = Network.of(ModelFactory.mlp(4, new int[] {6, 8, 3}));
        Map<String, INDArray> p = net.params("dense1");
        p.get("W").get(NDArrayIndex.all(), NDArrayIndex.point(5)).assign(p.get("W").get(NDArrayIndex.all(), NDArrayIndex.point(2)).mul(2));
        p.get("b").putScalar(5, p.get("b").getDouble(2) * 2);
        INDArray x = MergeNets.randomRows(3, 32, 6).subi(0.5);

        NeuronMerging.Result r = NeuronMerging.merge(net, 0.125, 0, List.of());
        assertEquals(Map.of("dense1", 1), r.merged());
        assertEquals(7, r.network().params("dense1").get("W").size(1), "physically smaller");
        double diff = MergeNets.maxAbsDiff(net, r.network(), x);
        assertTrue(diff < 1e-5, "the same function: " + diff);
    }

    @Test
    void aThresholdNoPairReachesIsRefused() {
        Network net = Network.of(ModelFactory.mlp(4, new int[] {6, 8, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuronMerging.merge(net, 0.5, 0.9999, List.of()));
        assertTrue(e.getMessage().contains("nothing to merge") && e.getMessage().contains("0.9999"), e.getMessage());
    }
}
