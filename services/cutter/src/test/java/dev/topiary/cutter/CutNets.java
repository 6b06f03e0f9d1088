package dev.topiary.cutter;

import dev.topiary.nn.data.Dataset;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small real DL4J networks and a small random data set for cut tests. */
final class CutNets {
    private CutNets() {
    }

    /** A chain of Dense layers {@code dense0 .. dense<n-2>} of these widths with one activation, then a softmax {@code output}. */
    static MultiLayerNetwork mlp(Activation activation, int... widths) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER).list();
        for (int i = 0; i < widths.length - 2; i++) {
            list.layer(new DenseLayer.Builder().name("dense" + i).nIn(widths[i]).nOut(widths[i + 1]).activation(activation).build());
        }
        int last = widths.length - 1;
        list.layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nIn(widths[last - 1]).nOut(widths[last])
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** Random rows in [0, 1) with random one-hot labels: enough for mechanics, not for accuracy. */
    static Dataset random(int features, int classes, int train, int test, int[] imageShape) {
        Nd4j.getRandom().setSeed(11);
        return new Dataset("random", "test", Nd4j.rand(DataType.FLOAT, train, features), labels(train, classes),
                Nd4j.rand(DataType.FLOAT, test, features), labels(test, classes), classes, imageShape);
    }

    private static INDArray labels(int rows, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, (i * 7) % classes, 1);
        }
        return y;
    }
}
