package dev.topiary.merger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.merger.layers.LayerCollapse;
import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.ResidualBlock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LaCo on a residual MLP: three blocks become two, the surviving block's parameters are the first's
 * plus the absorbed one's differences, the run chosen on the holdout; on a plain MLP, three layers
 * as wide as their inputs become one; a network with neither is refused with the reason.
 */
class LayerCollapseTest {
    private static final Dataset DATA = DatasetCatalog.resolve("fashion-mnist-small?train=600&test=100");

    @Test
    void twoAlikeBlocksCollapseIntoTheFirst() {
        Network net = Network.of(ModelFactory.resmlp(784, 16, 3, 10, 3));
        LayerCollapse.Result r = LayerCollapse.collapse(net, 1, DATA);
        assertEquals(2, ResidualBlock.find(NetworkView.describing(r.network().model())).size());
        String into = r.into().replace("_add", "");
        String gone = r.removed().get(0).replace("_add", "");
        for (String layer : List.of("_dense1", "_dense2")) {
            INDArray expected = net.params(into + layer).get("W").add(
                    net.params(gone + layer).get("W").sub(net.params(into + layer).get("W")));
            assertEquals(0, r.network().params(into + layer).get("W").sub(expected).amaxNumber().doubleValue(), 1e-6);
        }
        assertTrue(r.network().params().length() < net.params().length());
        assertTrue(r.holdoutAccuracy() >= 0);
    }

    @Test
    void threeAlikeLayersOfAChainCollapseIntoTheFirst() {
        // dense2, dense3 and dense4 are 16 wide and read 16: θ = θ2 + (θ3 − θ2) + (θ4 − θ2)
        Network net = Network.of(ModelFactory.mlp(4, new int[] {784, 16, 16, 16, 16, 10}));
        LayerCollapse.Result r = LayerCollapse.collapse(net, 2, DATA);
        assertEquals("dense2", r.into());
        assertEquals(List.of("dense3", "dense4"), r.removed());
        for (String param : List.of("W", "b")) {
            INDArray expected = net.params("dense3").get(param).add(net.params("dense4").get(param)).sub(net.params("dense2").get(param));
            assertEquals(0, r.network().params("dense2").get(param).sub(expected).amaxNumber().doubleValue(), 1e-6, param);
        }
        assertEquals(3, r.network().layers().length, "dense1, dense2, output");
        assertEquals(10, r.network().output(DATA.testFeatures()).size(1));
    }

    @Test
    void aNetworkWithoutBlocksOrAlikeLayersIsRefused() {
        Network mlp = Network.of(ModelFactory.mlp(1, new int[] {784, 16, 10}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerCollapse.collapse(mlp, 1, DATA));
        assertTrue(e.getMessage().contains("no run of 2 consecutive residual blocks"), e.getMessage());
    }
}
