package dev.topiary.merger;

import dev.topiary.surgery.graph.Network;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny networks for the merge tests, and BatchNormalization statistics that are not the identity. */
final class MergeNets {
    private MergeNets() {}

    /** inputs → dense1 (identity) → bn1 → relu1 → dense2 (ReLU) → output. */
    static MultiLayerNetwork denseWithBatchNorm(long seed, int inputs) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).list()
                .layer(new DenseLayer.Builder().name("dense1").nOut(16).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new ActivationLayer.Builder().name("relu1").activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense2").nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(inputs)).build());
        net.init();
        return net;
    }

    /** inputs → a linear bottleneck {@code linear} of {@code width} → dense (ReLU, {@code next}) → output. */
    static MultiLayerNetwork linearPair(long seed, int inputs, int width, int next) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).list()
                .layer(new DenseLayer.Builder().name("linear").nOut(width).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(next).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(inputs)).build());
        net.init();
        return net;
    }

    /** Gives every BatchNormalization of {@code model} statistics and an affine part far from the identity. */
    static void randomiseNorms(Model model, long seed) {
        Network net = Network.of(model);
        Random r = new Random(seed);
        for (org.deeplearning4j.nn.api.Layer layer : net.layers()) {
            if (!(layer.conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : net.params(layer.conf().getLayer().getLayerName()).entrySet()) {
                INDArray v = p.getValue();
                double[] values = new double[(int) v.length()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = switch (p.getKey()) {
                        case "gamma" -> 0.5 + r.nextDouble();
                        case "log10stdev" -> -0.5 + 0.8 * r.nextDouble();
                        case "var" -> 0.3 + r.nextDouble();
                        default -> 0.3 * r.nextGaussian();
                    };
                }
                v.assign(Nd4j.createFromArray(values).castTo(v.dataType()).reshape(v.shape()));
            }
        }
    }

    static INDArray randomRows(long seed, int rows, int columns) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, rows, columns);
    }

    /** Largest absolute difference between the two networks' outputs on {@code x}. */
    static double maxAbsDiff(Network a, Network b, INDArray x) {
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a.output(x).sub(b.output(x))).maxNumber().doubleValue();
    }
}
