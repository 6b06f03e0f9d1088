package dev.topiary.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import dev.topiary.surgery.layers.LayerRegistry;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A type registered through {@code META-INF/services} (or {@code with}) is handled like a built-in one. */
class CustomLayerTypeTest {

    private static Network withPrelu() {
        Network net = SurgeryNets.init(SurgeryNets.base().list().layer(SurgeryNets.dense("dense1", 8, Activation.IDENTITY))
                .layer(new PReLULayer.Builder().name("prelu").inputShape(8).build())
                .layer(SurgeryNets.dense("dense2", 6, Activation.RELU)).layer(SurgeryNets.output())
                .setInputType(InputType.feedForward(6)).build());
        net.params("prelu").get("W").assign(Nd4j.linspace(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0.05, 0.05, 8).castTo(net.dataType()));
        return net;
    }

    @Test
    void theBuiltInRegistryRefusesItByNameAndTheStandardOneHandlesIt() {
        Network net = withPrelu();
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> NetworkView.of(net, LayerRegistry.builtIn(), "prune"));
        assertTrue(e.getMessage().contains("'prelu' of type PReLULayer is not supported"), e.getMessage());
        assertTrue(LayerRegistry.standard().supported().endsWith("PReLULayer"), LayerRegistry.standard().supported());
        assertTrue(LayerRegistry.builtIn().with(new PReLURules()).find(new PReLULayer.Builder().build()).isPresent());

        INDArray x = SurgeryNets.rows(16, 6, 5);
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(net.model(), "prune"));
        ChannelGroup g = graph.groupOf("dense1");
        assertEquals(java.util.List.of("prelu"), g.normalizations(), "the slopes follow dense1's channels");

        Network permuted = IndexPlan.of(Map.of(g.id(), IndexMap.permute(new int[] {7, 6, 5, 4, 3, 2, 1, 0}))).apply(graph);
        assertTrue(permuted.output(x).equalsWithEps(net.output(x), 1e-6));
        Network smaller = IndexPlan.of(Map.of(g.id(), IndexMap.keep(8, new int[] {0, 2, 4, 6}))).apply(graph);
        assertEquals(4, smaller.params("prelu").get("W").length());
        assertEquals(net.params("prelu").get("W").getDouble(4), smaller.params("prelu").get("W").getDouble(2), 0);
    }
}
