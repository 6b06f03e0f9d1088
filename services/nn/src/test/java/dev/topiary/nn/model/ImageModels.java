package dev.topiary.nn.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A model built as a new user builds one from DL4J's zoo: SimpleCNN's shape (convolution, batch
 * norm, ReLU, pooling, dropout, global average pooling) in miniature, taking NCHW images through
 * {@code setInputType(InputType.convolutional(28, 28, 1))}, so its configuration records the channel
 * count but not the image size. (deeplearning4j-zoo is not a dependency; this is written after it.)
 */
public final class ImageModels {
    private ImageModels() {
    }

    /**
     * {@code conv1(8) → bn1 → relu1 → conv2(8) → bn2 → relu2 → pool1 (max 2x2) → drop1 → conv3(16) →
     * bn3 → relu3 → pool (global average) → output(10)}.
     */
    public static MultiLayerNetwork simpleCnn(long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same).list();
        block(list, 1, 8);
        block(list, 2, 8);
        list.layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build())
                .layer(new DropoutLayer.Builder(0.75).name("drop1").build());
        block(list, 3, 16);
        list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nOut(10).activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(28, 28, 1));
        OneDnnHelpers.enable();
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static void block(NeuralNetConfiguration.ListBuilder list, int i, int filters) {
        list.layer(new ConvolutionLayer.Builder(3, 3).name("conv" + i).nOut(filters).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("bn" + i).build())
                .layer(new ActivationLayer.Builder().name("relu" + i).activation(Activation.RELU).build());
    }
}
