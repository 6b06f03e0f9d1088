package dev.topiary.nn.recovery;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.data.Sample;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.StepHook;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The refit head is the best softmax layer for the features below it: it recovers a lost head and never loses to a trained one. */
class HeadRefitTest {
    private final Dataset data = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL + "?train=3000&test=1000");

    @Test
    void aLostHeadIsRecoveredAndATrainedOneNotWorsened() {
        MultiLayerNetwork net = ModelFactory.mlp(3L, new int[] {784, 64, 32, 10});
        TrainerFineTuner.of(data, 2e-3, 0.01, 3, null).fineTune(net, 2, StepHook.NONE);
        double trained = ModelMetrics.score(net, data).accuracy();
        Sample rows = Sample.fromTraining(data, 2000, 9);
        double trainedLoss = meanLoss(net, rows);

        MultiLayerNetwork refitted = net.clone();
        HeadRefit.refit(refitted, data, 2000, 9);
        assertTrue(meanLoss(refitted, rows) <= trainedLoss + 1e-6,
                "the refit minimises the loss over the head, so it is no worse than the trained head on its rows: "
                        + trainedLoss + " -> " + meanLoss(refitted, rows));

        MultiLayerNetwork lost = net.clone();
        lost.getLayer("output").setParams(lost.getLayer("output").params().mul(0).addi(0.01));
        double lostAccuracy = ModelMetrics.score(lost, data).accuracy();
        HeadRefit.refit(lost, data, 2000, 9);
        double recovered = ModelMetrics.score(lost, data).accuracy();
        assertTrue(lostAccuracy < 0.2 && recovered > trained - 0.015,
                "a head set to constants (" + lostAccuracy + ") refits to within 1.5 points of the trained one (" + trained
                        + "): " + recovered);
    }

    @Test
    void onlyASoftmaxCrossEntropyHeadIsRefitted() {
        MultiLayerNetwork regression = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(784).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).name("out").nIn(8).nOut(10).activation(Activation.IDENTITY).build())
                .build());
        regression.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeadRefit.refit(regression, data, 100, 1));
        assertTrue(e.getMessage().contains("'out'") && e.getMessage().contains("softmax"), e.getMessage());

        MultiLayerNetwork weighted = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(784).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(new LossMCXENT(Nd4j.linspace(1, 10, 10, DataType.FLOAT))).name("out").nIn(8).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        weighted.init();
        e = assertThrows(IllegalArgumentException.class, () -> HeadRefit.check(weighted));
        assertTrue(e.getMessage().contains("unweighted"), "class weights would make healing fit another loss: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeadRefit.refit(ModelFactory.mlp(784, 8, 10), data, 0, 1));
    }

    private static double meanLoss(MultiLayerNetwork net, Sample rows) {
        INDArray p = ModelMetrics.output(net, rows.features()).castTo(DataType.DOUBLE);
        return -Transforms.log(p.addi(1e-12), false).muli(rows.labels().castTo(DataType.DOUBLE)).sumNumber().doubleValue()
                / rows.size();
    }
}
