package dev.topiary.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Sample;
import dev.topiary.pruner.importance.Importances;
import dev.topiary.pruner.selection.MinimumWidth;
import dev.topiary.pruner.selection.StructuredPruner;
import dev.topiary.pruner.selection.StructuredTarget;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every criterion ranks a dead neuron (always zero output) last, so pruning by it is exact. */
class ImportanceTest {

    @ParameterizedTest
    @ValueSource(strings = {"l1", "l2", "activation", "apoz", "taylor"})
    void deadNeuronsGoFirstUnderEveryCriterion(String criterion) {
        MultiLayerNetwork net = TestNets.mlp(20, 16, 12, 4);
        StructuredPruningTest.zeroDenseNeurons(net.getLayer(0).getParam("W"), net.getLayer(0).getParam("b"), 1, 5, 7);
        StructuredPruningTest.zeroDenseNeurons(net.getLayer(1).getParam("W"), net.getLayer(1).getParam("b"), 0, 3);
        INDArray x = TestNets.randomRows(64, 20, 11);
        Sample sample = new Sample(x, TestNets.labels(64, 4));
        INDArray before = net.output(x);

        StructuredPruner pruner = new StructuredPruner(Importances.named(criterion), MinimumWidth.ONE, sample, null);
        MultiLayerNetwork small = (MultiLayerNetwork) pruner.prune(net, new StructuredTarget.Sparsity(0, false,
                Map.of("dense1", 3 / 16.0, "dense2", 2 / 12.0)), pruner.baseline(net));

        assertEquals(13, StructuredPruningTest.nOut(small, 0));
        assertEquals(10, StructuredPruningTest.nOut(small, 1));
        assertTrue(small.output(x).equalsWithEps(before, 1e-5), criterion + ": pruned the dead neurons only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"activation", "taylor"})
    void dataDrivenCriteriaHandleResidualGroups(String criterion) {
        ComputationGraph net = TestNets.residual(12, 10, 3);
        for (String layer : new String[] {"stem", "b1_dense2", "b2_dense2"}) {
            StructuredPruningTest.zeroDenseNeurons(net.getLayer(layer).getParam("W"), net.getLayer(layer).getParam("b"), 2, 7);
        }
        INDArray x = TestNets.randomRows(32, 12, 12);
        INDArray before = net.outputSingle(x);
        StructuredPruner pruner = new StructuredPruner(Importances.named(criterion), MinimumWidth.ONE,
                new Sample(x, TestNets.labels(32, 3)), null);
        ComputationGraph small = (ComputationGraph) pruner.prune(net,
                new StructuredTarget.Sparsity(0, false, Map.of("stem", 0.2)), pruner.baseline(net));
        assertTrue(small.outputSingle(x).equalsWithEps(before, 1e-5), criterion);
    }
}
