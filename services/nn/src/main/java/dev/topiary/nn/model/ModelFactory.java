package dev.topiary.nn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The architectures {@code topiary new} offers and the tests use: a plain MLP, a LeNet-5 CNN, a
 * residual MLP and a residual CNN (ComputationGraphs, so graph code paths get exercised). Every layer and vertex has
 * a readable name ({@code dense1}, {@code conv2}, {@code block1_add}) because names are what users
 * see in events and what operations report when they cannot handle a layer. ReLU layers start with
 * He initialisation and softmax outputs with Xavier; the updater is Adam(1e-3), which a trainer may
 * replace. Each builder returns an initialised network, identical for identical arguments.
 */
public final class ModelFactory {
    static {
        // layer helpers (oneDNN convolutions) are off by default in DL4J M2.1; see OneDnnHelpers
        OneDnnHelpers.enable();
    }


    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 42L;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    private ModelFactory() {}

    /** An MLP with {@link #DEFAULT_SEED}, e.g. {@code mlp(784, 300, 100, 10)}. */
    public static MultiLayerNetwork mlp(int... layers) {
        return mlp(DEFAULT_SEED, layers);
    }

    /**
     * An MLP: {@code layers[0]} inputs, ReLU dense layers {@code dense1..}, and a softmax
     * {@code output} layer of {@code layers[last]} classes trained with cross-entropy (MCXENT).
     */
    public static MultiLayerNetwork mlp(long seed, int[] layers) {
        if (layers == null || layers.length < 2) {
            throw new IllegalArgumentException("An MLP needs at least an input and an output size");
        }
        NeuralNetConfiguration.ListBuilder list = base(seed).list();
        for (int i = 1; i < layers.length - 1; i++) {
            list.layer(new DenseLayer.Builder().name("dense" + i).nIn(layers[i - 1]).nOut(layers[i])
                    .activation(Activation.RELU).weightInit(WeightInit.RELU).build());
        }
        list.layer(output(layers[layers.length - 2], layers[layers.length - 1]));
        list.setInputType(InputType.feedForward(layers[0]));
        return init(new MultiLayerNetwork(list.build()));
    }

    /** LeNet-5 for 28x28 grey images in flat rows (Fashion-MNIST), 10 classes, no batch normalisation. */
    public static MultiLayerNetwork cnn(long seed) {
        return cnn(seed, false);
    }

    /** LeNet-5 for 28x28 grey images in flat rows, 10 classes, optionally with batch normalisation. */
    public static MultiLayerNetwork cnn(long seed, boolean batchNorm) {
        return cnn(28, 28, 1, 10, seed, batchNorm);
    }

    /**
     * LeNet-5 for {@code height x width x channels} images given as flat rows (it reshapes them via
     * {@code InputType.convolutionalFlat}): {@code conv1} 5x5x6 (same padding), max {@code pool1}
     * 2x2, {@code conv2} 5x5x16, max {@code pool2} 2x2, {@code dense1} 120, {@code dense2} 84 and a
     * softmax {@code output}. With {@code batchNorm}, each convolution is followed by
     * {@code bnN} and a ReLU {@code reluN} layer instead of its own activation.
     */
    public static MultiLayerNetwork cnn(int height, int width, int channels, int classes, long seed,
                                        boolean batchNorm) {
        NeuralNetConfiguration.ListBuilder list = base(seed).list();
        convBlock(list, 1, 6, ConvolutionMode.Same, batchNorm);
        convBlock(list, 2, 16, ConvolutionMode.Truncate, batchNorm);
        list.layer(new DenseLayer.Builder().name("dense1").nOut(120).activation(Activation.RELU)
                .weightInit(WeightInit.RELU).build());
        list.layer(new DenseLayer.Builder().name("dense2").nOut(84).activation(Activation.RELU)
                .weightInit(WeightInit.RELU).build());
        list.layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        list.setInputType(InputType.convolutionalFlat(height, width, channels));
        return init(new MultiLayerNetwork(list.build()));
    }

    /**
     * A residual MLP as a ComputationGraph: {@code input} → {@code stem} dense(width, ReLU) → for
     * each block b: {@code block<b>_dense1} (ReLU) → {@code block<b>_dense2} (linear), added to the
     * block's input by {@code block<b>_add}, then {@code block<b>_relu} → softmax {@code output}.
     * The ReLU comes after the add, as in ResNet, so the skip path carries the raw sum.
     */
    public static ComputationGraph resmlp(int inputs, int width, int blocks, int classes, long seed) {
        if (inputs <= 0 || width <= 0 || blocks < 0 || classes <= 0) {
            throw new IllegalArgumentException("resmlp needs positive sizes: inputs=" + inputs + ", width=" + width
                    + ", blocks=" + blocks + ", classes=" + classes);
        }
        ComputationGraphConfiguration.GraphBuilder graph = base(seed).graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.feedForward(inputs))
                .addLayer("stem", new DenseLayer.Builder().nOut(width).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build(), "input");
        String previous = "stem";
        for (int b = 1; b <= blocks; b++) {
            String block = "block" + b;
            graph.addLayer(block + "_dense1", new DenseLayer.Builder().nOut(width).activation(Activation.RELU)
                            .weightInit(WeightInit.RELU).build(), previous)
                    .addLayer(block + "_dense2", new DenseLayer.Builder().nOut(width).activation(Activation.IDENTITY)
                            .weightInit(WeightInit.RELU).build(), block + "_dense1")
                    .addVertex(block + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), previous, block + "_dense2")
                    .addLayer(block + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(),
                            block + "_add");
            previous = block + "_relu";
        }
        graph.addLayer("output", new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), previous)
                .setOutputs("output");
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return net;
    }

    /** {@link #rescnn(int, int, int, int, int, int, long)} for 28x28 grey images in flat rows. */
    public static ComputationGraph rescnn(int filters, int blocks, int classes, long seed) {
        return rescnn(28, 28, 1, filters, blocks, classes, seed);
    }

    /**
     * A small residual CNN as a ComputationGraph, for {@code height x width x channels} images in flat
     * rows ({@code InputType.convolutionalFlat}): a stride-2 3x3 {@code stem} convolution to
     * {@code filters} channels at half the size (14x14 for 28x28) with {@code stem_bn} and
     * {@code stem_relu}; then per block b two same-padded 3x3 convolutions with batch norm,
     * {@code block<b>_conv1 → _bn1 → _relu1 → _conv2 → _bn2}, added to the block's input by
     * {@code block<b>_add} and followed by {@code block<b>_relu}, as in ResNet; then global average
     * pooling ({@code pool}) and a softmax {@code output}. The adds tie every block's channels to the
     * stem's, so structured pruning removes a stream channel from all of them at once.
     */
    public static ComputationGraph rescnn(int height, int width, int channels, int filters, int blocks, int classes,
                                          long seed) {
        if (height <= 0 || width <= 0 || channels <= 0 || filters <= 0 || blocks < 0 || classes <= 0) {
            throw new IllegalArgumentException("rescnn needs positive sizes: " + height + "x" + width + "x" + channels
                    + " input, filters=" + filters + ", blocks=" + blocks + ", classes=" + classes);
        }
        ComputationGraphConfiguration.GraphBuilder graph = base(seed).graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutionalFlat(height, width, channels));
        convBnRelu(graph, "stem", "stem_bn", "stem_relu", filters, 2, "input");
        String previous = "stem_relu";
        for (int b = 1; b <= blocks; b++) {
            String block = "block" + b;
            convBnRelu(graph, block + "_conv1", block + "_bn1", block + "_relu1", filters, 1, previous);
            graph.addLayer(block + "_conv2", conv3x3(filters, 1), block + "_relu1")
                    .addLayer(block + "_bn2", new BatchNormalization.Builder().build(), block + "_conv2")
                    .addVertex(block + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), previous, block + "_bn2")
                    .addLayer(block + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(),
                            block + "_add");
            previous = block + "_relu";
        }
        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer("output", new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "pool")
                .setOutputs("output");
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return net;
    }

    /** A 3x3 convolution {@code conv} reading {@code input}, then batch norm {@code bn} and a ReLU layer {@code relu}. */
    private static void convBnRelu(ComputationGraphConfiguration.GraphBuilder graph, String conv, String bn, String relu,
                                   int filters, int stride, String input) {
        graph.addLayer(conv, conv3x3(filters, stride), input)
                .addLayer(bn, new BatchNormalization.Builder().build(), conv)
                .addLayer(relu, new ActivationLayer.Builder().activation(Activation.RELU).build(), bn);
    }

    private static ConvolutionLayer conv3x3(int filters, int stride) {
        return new ConvolutionLayer.Builder(3, 3).nOut(filters).stride(stride, stride).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.IDENTITY).weightInit(WeightInit.RELU).build();
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(DEFAULT_LEARNING_RATE));
    }

    private static void convBlock(NeuralNetConfiguration.ListBuilder list, int index, int filters,
                                  ConvolutionMode mode, boolean batchNorm) {
        list.layer(new ConvolutionLayer.Builder(5, 5).name("conv" + index).nOut(filters).stride(1, 1)
                .convolutionMode(mode).activation(batchNorm ? Activation.IDENTITY : Activation.RELU)
                .weightInit(WeightInit.RELU).build());
        if (batchNorm) {
            list.layer(new BatchNormalization.Builder().name("bn" + index).build());
            list.layer(new ActivationLayer.Builder().name("relu" + index).activation(Activation.RELU).build());
        }
        list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool" + index)
                .kernelSize(2, 2).stride(2, 2).build());
    }

    private static OutputLayer output(int nIn, int classes) {
        return new OutputLayer.Builder(LossFunction.MCXENT).name("output").nIn(nIn).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build();
    }

    private static MultiLayerNetwork init(MultiLayerNetwork net) {
        net.init();
        return net;
    }
}
