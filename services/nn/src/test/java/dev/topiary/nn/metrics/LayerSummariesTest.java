package dev.topiary.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import dev.topiary.nn.model.ModelFactory;
import org.junit.jupiter.api.Test;

class LayerSummariesTest {

    @Test
    void mlpLayers() {
        MultiLayerNetwork net = ModelFactory.mlp(784, 300, 100, 10);
        assertEquals(List.of(
                new LayerInfo("dense1", "DenseLayer", "784->300", 235_500, 235_200),
                new LayerInfo("dense2", "DenseLayer", "300->100", 30_100, 30_000),
                new LayerInfo("output", "OutputLayer", "100->10", 1_010, 1_000)), LayerSummaries.of(net));
    }

    @Test
    void cnnLayersShowKernelsAndActivationShapes() {
        List<LayerInfo> layers = LayerSummaries.of(ModelFactory.cnn(1, true));
        assertEquals(List.of("conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2", "pool2", "dense1", "dense2",
                "output"), layers.stream().map(LayerInfo::name).toList());
        assertEquals(new LayerInfo("conv1", "ConvolutionLayer", "5x5x1->6", 156, 150), layers.get(0));
        assertEquals("BatchNormalization", layers.get(1).type());
        assertEquals("6->6", layers.get(1).shape());
        assertEquals(24, layers.get(1).params());
        assertEquals(new LayerInfo("relu1", "ActivationLayer", "28x28x6->28x28x6", 0, 0), layers.get(2));
        assertEquals(new LayerInfo("pool1", "SubsamplingLayer", "28x28x6->14x14x6", 0, 0), layers.get(3));
        assertEquals("5x5x6->16", layers.get(4).shape());
        assertEquals("10x10x16->5x5x16", layers.get(7).shape());
        assertEquals(new LayerInfo("dense1", "DenseLayer", "400->120", 48_120, 48_000), layers.get(8));
        assertEquals(ModelFactory.cnn(1, true).numParams(), layers.stream().mapToLong(LayerInfo::params).sum());
    }

    @Test
    void graphListsVerticesInForwardOrder() {
        List<LayerInfo> layers = LayerSummaries.of(ModelFactory.resmlp(784, 64, 1, 10, 1));
        assertEquals(List.of(
                new LayerInfo("stem", "DenseLayer", "784->64", 50_240, 50_176),
                new LayerInfo("block1_dense1", "DenseLayer", "64->64", 4_160, 4_096),
                new LayerInfo("block1_dense2", "DenseLayer", "64->64", 4_160, 4_096),
                new LayerInfo("block1_add", "ElementWiseVertex", "add 64+64->64", 0, 0),
                new LayerInfo("block1_relu", "ActivationLayer", "64->64", 0, 0),
                new LayerInfo("output", "OutputLayer", "64->10", 650, 640)), layers);
    }
}
