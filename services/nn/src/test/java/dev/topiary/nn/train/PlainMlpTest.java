package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.model.ModelFactory;
import dev.topiary.surgery.graph.Network;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class PlainMlpTest {
    @Test
    void acceptsPlainMlpsOnly() {
        assertTrue(PlainMlp.whyNot(Network.of(TrainingFixtures.mlp(1))).isEmpty());
        assertTrue(PlainMlp.whyNot(Network.of(ModelFactory.mlp(784, 300, 100, 10))).isEmpty());
        assertTrue(PlainMlp.whyNot(Network.of(ModelFactory.cnn(1))).isPresent());
        assertEquals("not a MultiLayerNetwork",
                PlainMlp.whyNot(Network.of(TrainingFixtures.residualGraph(1))).orElseThrow());
        assertTrue(PlainMlp.whyNot(Network.of(withDropout())).orElseThrow().contains("dropout"));
    }

    private static MultiLayerNetwork withDropout() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.RELU).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }
}
