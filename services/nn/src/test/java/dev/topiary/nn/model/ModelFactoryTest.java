package dev.topiary.nn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.surgery.graph.Network;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ModelFactoryTest {

    private static List<String> layerNames(MultiLayerNetwork net) {
        return Arrays.stream(net.getLayers()).map(l -> l.conf().getLayer().getLayerName()).toList();
    }

    @Test
    void mlpHasNamedLayersAndTheClassicParameterCount() {
        MultiLayerNetwork net = ModelFactory.mlp(784, 300, 100, 10);
        assertEquals(List.of("dense1", "dense2", "output"), layerNames(net));
        assertEquals(266_610, net.numParams());
        assertEquals(784, Network.of(net).input().features());
        assertEquals(10, Network.of(net).outputSize());
        assertEquals(InputType.feedForward(784), Network.of(net).input().inputType());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        assertEquals(ModelFactory.mlp(7L, new int[] {20, 8, 3}).params(), ModelFactory.mlp(7L, new int[] {20, 8, 3}).params());
        assertNotEquals(ModelFactory.mlp(7L, new int[] {20, 8, 3}).params(), ModelFactory.mlp(8L, new int[] {20, 8, 3}).params());
        assertEquals(ModelFactory.resmlp(20, 8, 1, 3, 4).params(), ModelFactory.resmlp(20, 8, 1, 3, 4).params());
    }

    @Test
    void cnnIsLeNet5OnFlatRows() {
        MultiLayerNetwork net = ModelFactory.cnn(1);
        assertEquals(List.of("conv1", "pool1", "conv2", "pool2", "dense1", "dense2", "output"), layerNames(net));
        assertEquals(61_706, net.numParams());
        assertEquals(InputType.convolutionalFlat(28, 28, 1), Network.of(net).input().inputType());
        // flat rows in, class probabilities out
        assertEquals(10, net.output(Nd4j.rand(3, 784)).size(1));
    }

    @Test
    void cnnWithBatchNormAddsNormAndActivationLayers() {
        MultiLayerNetwork net = ModelFactory.cnn(1, true);
        assertEquals(List.of("conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2", "pool2", "dense1", "dense2",
                "output"), layerNames(net));
        // each batch-norm channel has gamma, beta, mean and variance
        assertEquals(61_706 + 4 * (6 + 16), net.numParams());
        assertEquals(3, net.output(Nd4j.rand(3, 784)).size(0));
    }

    @Test
    void resmlpIsAGraphOfResidualBlocks() {
        ComputationGraph graph = ModelFactory.resmlp(784, 64, 2, 10, 1);
        List<String> order = Arrays.stream(graph.topologicalSortOrder())
                .mapToObj(i -> graph.getVertices()[i].getVertexName()).toList();
        assertEquals(List.of("input", "stem", "block1_dense1", "block1_dense2", "block1_add", "block1_relu",
                "block2_dense1", "block2_dense2", "block2_add", "block2_relu", "output"), order);
        assertEquals(List.of("stem", "block1_dense2"), graph.getConfiguration().getVertexInputs().get("block1_add"));
        assertEquals(ElementWiseVertex.class, graph.getConfiguration().getVertices().get("block1_add").getClass());
        assertEquals(50_240 + 2 * 2 * (4096 + 64) + 650, graph.numParams());
        assertEquals(784, Network.of(graph).input().features());
        assertEquals(10, Network.of(graph).outputSize());
        assertEquals(10, graph.outputSingle(Nd4j.rand(3, 784)).size(1));
    }

    @Test
    void rescnnIsAResidualCnnOnFlatRows() {
        ComputationGraph graph = ModelFactory.rescnn(16, 2, 10, 1);
        assertEquals(InputType.convolutionalFlat(28, 28, 1), Network.of(graph).input().inputType());
        assertEquals(List.of("stem_relu", "block1_bn2"), graph.getConfiguration().getVertexInputs().get("block1_add"));
        assertEquals(List.of("block1_relu", "block2_bn2"), graph.getConfiguration().getVertexInputs().get("block2_add"));
        // stem 3x3x1x16 + 16 bias, 4 BN params per channel; per block two 3x3x16x16 + bias and two BNs; output 16x10 + 10
        long stem = 9 * 16 + 16 + 4 * 16;
        long block = 2 * (9 * 16 * 16 + 16 + 4 * 16);
        assertEquals(stem + 2 * block + 16 * 10 + 10, graph.numParams());
        assertEquals(10, graph.outputSingle(Nd4j.rand(3, 784)).size(1));
        assertEquals(14 * 14 * 9 * 16 * (1 + 4 * 16) + 16 * 10, ModelMetrics.macs(graph));
    }

    @Test
    void badSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelFactory.mlp(784));
        assertThrows(IllegalArgumentException.class, () -> ModelFactory.resmlp(784, 0, 1, 10, 1));
    }
}
