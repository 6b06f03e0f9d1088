package dev.topiary.pruner;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small real DL4J networks for pruning tests, built with DL4J's own builders. */
final class TestNets {
    private TestNets() {
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2)).weightInit(WeightInit.RELU);
    }

    /** {@code dense1 -> dense2 -> output}, ReLU hidden layers. */
    static MultiLayerNetwork mlp(int in, int h1, int h2, int out) {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(new DenseLayer.Builder().name("dense1").nIn(in).nOut(h1).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense2").nIn(h1).nOut(h2).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nIn(h2).nOut(out)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** {@code conv1 -> bn1 -> pool1 -> conv2 -> (flatten) dense1 -> output} on 8x8 grey images in flat rows. */
    static MultiLayerNetwork cnn() {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(6).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(8).convolutionMode(ConvolutionMode.Truncate)
                        .activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense1").nOut(10).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1))
                .build());
        net.init();
        return net;
    }

    /** {@code input -> stem -> [dense1 -> dense2 -> add(prev, dense2) -> relu] x2 -> output}. */
    static ComputationGraph residual(int in, int width, int out) {
        ComputationGraph net = new ComputationGraph(base().graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.feedForward(in))
                .addLayer("stem", new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build(), "input")
                .addLayer("b1_dense1", new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build(), "stem")
                .addLayer("b1_dense2", new DenseLayer.Builder().nOut(width).activation(Activation.IDENTITY).build(), "b1_dense1")
                .addVertex("b1_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem", "b1_dense2")
                .addLayer("b1_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b1_add")
                .addLayer("b2_dense1", new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build(), "b1_relu")
                .addLayer("b2_dense2", new DenseLayer.Builder().nOut(width).activation(Activation.IDENTITY).build(), "b2_dense1")
                .addVertex("b2_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1_relu", "b2_dense2")
                .addLayer("output", new OutputLayer.Builder(LossFunction.MCXENT).nOut(out)
                        .activation(Activation.SOFTMAX).build(), "b2_add")
                .setOutputs("output")
                .build());
        net.init();
        return net;
    }

    /** A recurrent network the pruner must refuse. */
    static MultiLayerNetwork withLstm() {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(new LSTM.Builder().name("lstm1").nIn(4).nOut(8).build())
                .layer(new DenseLayer.Builder().name("dense1").nIn(8).nOut(8).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nIn(8).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    static INDArray randomRows(int rows, int cols, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, rows, cols);
    }

    /** One-hot labels cycling through the classes. */
    static INDArray labels(int rows, int classes) {
        INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % classes, 1);
        }
        return y;
    }
}
