package dev.topiary.cutter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.model.ModelFactory;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cuts that must be exact: a zeroed block, a linear bridge over linear layers (full and reduced
 * rank), and a wide bridge fitted on few rows of small activations.
 */
class CutEditorTest {

    @Test
    void removingABlockWhoseLastLayerIsZeroKeepsTheOutput() {
        ComputationGraph net = ModelFactory.resmlp(12, 8, 3, 4, 5);
        Network n = Network.of(net);
        n.params("block2_dense2").values().forEach(p -> p.assign(0));
        List<CutUnit> units = units(n, false);
        assertEquals(List.of("block1", "block2", "block3"), units.stream().map(CutUnit::name).toList());

        CutEditor.Cut cut = editor(n, spec(Map.of("blocks", 1)), null).cut(List.of(units.get(1)));
        INDArray x = Nd4j.rand(DataType.FLOAT, 20, 12);
        assertTrue(n.output(x).equalsWithEps(cut.network().output(x), 1e-6));
        NetworkView after = NetworkView.of(cut.network(), dev.topiary.surgery.layers.LayerRegistry.standard(), "cut");
        assertFalse(after.has("block2_dense1") || after.has("block2_dense2") || after.has("block2_add"));
        assertTrue(after.has("block2_relu"), "the skip path stays");
        assertEquals(net.numParams() - 2 * (8 * 8 + 8), cut.network().model().numParams());
    }

    @Test
    void aLinearBridgeOverLinearLayersReproducesTheRun() {
        MultiLayerNetwork net = CutNets.mlp(Activation.IDENTITY, 10, 8, 6, 5, 3);
        Network n = Network.of(net);
        INDArray rows = Nd4j.rand(DataType.FLOAT, 200, 10);
        List<CutUnit> units = units(n, true);
        assertEquals(List.of("dense1", "dense2"), units.stream().map(CutUnit::name).toList());

        CutEditor.Cut cut = editor(n, spec(Map.of("span", 2, "bridge", "linear", "bridgeRidge", 1e-9)), rows).cut(units);
        INDArray x = Nd4j.rand(DataType.FLOAT, 30, 10);
        assertTrue(n.output(x).equalsWithEps(cut.network().output(x), 1e-4), n.output(x) + " vs " + cut.network().output(x));
        assertEquals(8 * 5 + 5, cut.bridgeParams());
        assertEquals(List.of("dense0", "bridge_dense1_dense2", "output"), layerNames(cut.network()));
    }

    @Test
    void aReducedRankBridgeIsExactWhenTheRunHasThatRank() {
        // dense1 squeezes 8 to 3 and dense2 widens back: the run is an 8 -> 8 linear map of rank 3
        MultiLayerNetwork net = CutNets.mlp(Activation.IDENTITY, 10, 8, 3, 8, 3);
        Network n = Network.of(net);
        INDArray rows = Nd4j.rand(DataType.FLOAT, 300, 10);
        List<CutUnit> units = units(n, true);
        CutEditor.Cut cut = editor(n, spec(Map.of("span", 2, "bridge", "linear", "bridgeRidge", 1e-9, "bridgeRank", 3)), rows)
                .cut(units);
        INDArray x = Nd4j.rand(DataType.FLOAT, 30, 10);
        assertTrue(n.output(x).equalsWithEps(cut.network().output(x), 1e-4), n.output(x) + " vs " + cut.network().output(x));
        assertEquals(List.of("dense0", "bridge_dense1_dense2", "bridge_dense1_dense22", "output"), layerNames(cut.network()));
        assertEquals(8 * 3 + 3 + 3 * 8 + 8, cut.bridgeParams());
    }

    @Test
    void aBridgeFitsAWideRunOnFewSmallActivations() {
        // 300 rows of 256 small inputs: a ridge gram whose determinant underflows, which ND4J's
        // matrix_inverse refused as singular (bench cut, a 256-wide resmlp bridged on 512 rows)
        INDArray x = Nd4j.randn(DataType.DOUBLE, 300, 256).muli(1e-3);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 256, 4);
        INDArray y = x.mmul(w).addiRowVector(Nd4j.createFromArray(1.0, -2.0, 0.5, 3.0));
        LinearBridge bridge = LinearBridge.fit(x, y, 1e-9, null);
        assertTrue(bridge.weights().get(0).equalsWithEps(w, 1e-3), "weights");
        assertTrue(bridge.bias().equalsWithEps(Nd4j.createFromArray(1.0, -2.0, 0.5, 3.0), 1e-3), bridge.bias().toString());
    }

    static List<CutUnit> units(Network n, boolean bridge) {
        return CutUnit.find(NetworkView.of(n.model(), "cut"), n.input().inputType(), bridge);
    }

    static CutEditor editor(Network n, CutSpec spec, INDArray rows) {
        return new CutEditor(n, InputShape.of(n), spec, rows);
    }

    static CutSpec spec(Map<String, Object> params) {
        return CutSpec.fromMap(params);
    }

    private static List<String> layerNames(Network n) {
        return NetworkView.of(n.model(), "cut").nodes().stream().filter(x -> !x.isInput()).map(x -> x.name()).toList();
    }
}
