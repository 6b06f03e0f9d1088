package dev.topiary.surgery;

import dev.topiary.surgery.graph.Network;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small real DL4J networks, one or more per supported layer type, built with DL4J's own builders. */
final class SurgeryNets {
    static final int FEATURES = 6;
    static final int CLASSES = 3;

    private SurgeryNets() {
    }

    static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .dataType(DataType.FLOAT);
    }

    static DenseLayer dense(String name, int nOut, Activation a) {
        return new DenseLayer.Builder().name(name).nOut(nOut).activation(a).build();
    }

    static OutputLayer output() {
        return new OutputLayer.Builder(LossFunction.MCXENT).name("output").nOut(CLASSES).activation(Activation.SOFTMAX).build();
    }

    static ConvolutionLayer conv(String name, int filters, Activation a) {
        return new ConvolutionLayer.Builder(3, 3).name(name).nOut(filters).convolutionMode(ConvolutionMode.Same)
                .activation(a).build();
    }

    /** {@code dense1(8, relu) -> dense2(8, relu) -> output}. */
    static Network mlp() {
        return init(base().list().layer(dense("dense1", 8, Activation.RELU)).layer(dense("dense2", 8, Activation.RELU))
                .layer(output()).setInputType(InputType.feedForward(FEATURES)).build());
    }

    /** {@code dense1(7, tanh) -> output}: the output layer reads the group directly. */
    static Network shallow() {
        return init(base().list().layer(dense("dense1", 7, Activation.TANH)).layer(output())
                .setInputType(InputType.feedForward(FEATURES)).build());
    }

    /** {@code conv1(4) -> conv2(4) -> (flatten) dense1(5) -> output} on 6x6 grey images in flat rows. */
    static Network cnn() {
        return init(base().list().layer(conv("conv1", 4, Activation.RELU)).layer(conv("conv2", 4, Activation.RELU))
                .layer(dense("dense1", 5, Activation.RELU)).layer(output())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build());
    }

    /** {@code conv1(4) -> pool1 (2x2, stride 2) -> pool2 (2x2, stride 1, same) -> conv2(3) -> dense1 -> output}. */
    static Network pooled() {
        return init(base().list().layer(conv("conv1", 4, Activation.RELU))
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).name("pool2").kernelSize(2, 2).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(conv("conv2", 3, Activation.RELU)).layer(dense("dense1", 5, Activation.RELU)).layer(output())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build());
    }

    /** {@code conv1(4, linear) -> bn1 -> relu1 -> conv2(3) -> dense1 -> bn2 -> output}, with non-trivial statistics. */
    static Network batchNorm() {
        Network net = init(base().list().layer(conv("conv1", 4, Activation.IDENTITY))
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new ActivationLayer.Builder().name("relu1").activation(Activation.RELU).build())
                .layer(conv("conv2", 3, Activation.RELU)).layer(dense("dense1", 5, Activation.IDENTITY))
                .layer(new BatchNormalization.Builder().name("bn2").build()).layer(output())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build());
        for (String bn : new String[] {"bn1", "bn2"}) {
            var p = net.params(bn);
            Nd4j.getRandom().setSeed(bn.hashCode());
            p.get("gamma").assign(Nd4j.rand(p.get("gamma").shape()).addi(0.5));
            p.get("beta").assign(Nd4j.rand(p.get("beta").shape()).subi(0.5));
            p.get("mean").assign(Nd4j.rand(p.get("mean").shape()).muli(0.3));
            var stat = p.containsKey("var") ? p.get("var") : p.get("log10stdev");
            stat.assign(p.containsKey("var") ? Nd4j.rand(stat.shape()).addi(0.5) : Nd4j.rand(stat.shape()).muli(0.2));
        }
        return net;
    }

    /** {@code dense1(8, relu) -> drop1 -> dense2(8, relu) -> output}. */
    static Network dropout() {
        return init(base().list().layer(dense("dense1", 8, Activation.RELU))
                .layer(new DropoutLayer.Builder(0.7).name("drop1").build())
                .layer(dense("dense2", 8, Activation.RELU)).layer(output())
                .setInputType(InputType.feedForward(FEATURES)).build());
    }

    /** {@code dense1(8, linear) -> act1 (leaky ReLU) -> dense2(8, relu) -> output}. */
    static Network activation() {
        return init(base().list().layer(dense("dense1", 8, Activation.IDENTITY))
                .layer(new ActivationLayer.Builder().name("act1").activation(Activation.LEAKYRELU).build())
                .layer(dense("dense2", 8, Activation.RELU)).layer(output())
                .setInputType(InputType.feedForward(FEATURES)).build());
    }

    /**
     * Like DL4J's zoo SimpleCNN in miniature, on NCHW images ({@code InputType.convolutional}):
     * {@code conv1(4) -> bn1 -> conv2(5) -> drop -> pool (global average) -> output}.
     */
    static Network globalPooling() {
        return init(base().list().layer(conv("conv1", 4, Activation.RELU))
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(conv("conv2", 5, Activation.RELU))
                .layer(new DropoutLayer.Builder(0.8).name("drop").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build()).layer(output())
                .setInputType(InputType.convolutional(6, 6, 1)).build());
    }

    /** {@code stem(8) -> [b1_dense1 -> b1_dense2 (linear)] + stem -> b1_relu -> b2 ... -> output}: a residual graph. */
    static Network residual() {
        ComputationGraph graph = new ComputationGraph(base().graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(FEATURES))
                .addLayer("stem", dense(null, 8, Activation.RELU), "input")
                .addLayer("b1_dense1", dense(null, 8, Activation.RELU), "stem")
                .addLayer("b1_dense2", dense(null, 8, Activation.IDENTITY), "b1_dense1")
                .addVertex("b1_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem", "b1_dense2")
                .addLayer("b1_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b1_add")
                .addLayer("b2_dense1", dense(null, 8, Activation.RELU), "b1_relu")
                .addLayer("b2_dense2", dense(null, 8, Activation.IDENTITY), "b2_dense1")
                .addVertex("b2_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1_relu", "b2_dense2")
                .addLayer("b2_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b2_add")
                .addLayer("output", output(), "b2_relu")
                .setOutputs("output").build());
        graph.init();
        return Network.of(graph);
    }

    /** {@code input -> a(5) and b(4) -> merge -> dense1(6) -> output}: a graph concatenating two groups. */
    static Network merge() {
        ComputationGraph graph = new ComputationGraph(base().graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(FEATURES))
                .addLayer("a", dense(null, 5, Activation.RELU), "input")
                .addLayer("b", dense(null, 4, Activation.TANH), "input")
                .addVertex("merge", new MergeVertex(), "a", "b")
                .addLayer("dense1", dense(null, 6, Activation.RELU), "merge")
                .addLayer("output", output(), "dense1")
                .setOutputs("output").build());
        graph.init();
        return Network.of(graph);
    }

    /** A recurrent network: a type no rules are registered for. */
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

    static Network init(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return Network.of(net);
    }

    static INDArray rows(int rows, long features, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, rows, features);
    }

    /** Saves with ModelSerializer and loads it back, as a service would. */
    static Network saveAndLoad(Network net) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net.model(), out, false);
            byte[] bytes = out.toByteArray();
            Model loaded = net.isGraph() ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes))
                    : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes));
            return Network.of(loaded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
