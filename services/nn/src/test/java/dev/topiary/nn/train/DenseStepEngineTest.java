package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.model.ModelFactory;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The dense engine must train exactly as DL4J's own fit does: same weights, same losses, same optimiser state. */
class DenseStepEngineTest {
    private final Dataset data = TrainingFixtures.data().limit(2000, 1000);

    static Stream<Arguments> configs() {
        TrainingConfig base = TrainingFixtures.quick();
        return Stream.of(
                Arguments.of("adam, weight decay, cosine", base.withWeightDecay(0.01)),
                Arguments.of("nesterov, weight decay", base.withUpdater("sgd", 0.9).withLearningRate(0.05).withWeightDecay(5e-4)),
                Arguments.of("plain sgd, constant", base.withUpdater("sgd", 0).withLearningRate(0.1).withWeightDecay(0)
                        .withSchedule(LearningRateSchedule.CONSTANT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void trainsLikeDl4jFit(String name, TrainingConfig config) {
        MultiLayerNetwork dense = TrainingFixtures.mlp(21);
        MultiLayerNetwork dl4j = dense.clone();

        TrainingResult denseResult = new Trainer(config, true).fit(dense, data, null, null);
        TrainingResult dl4jResult = new Trainer(config, false).fit(dl4j, data, null, null);

        // 2 epochs x 32 steps (the last of 16 rows); float rounding differs (GEMM call order, softmax)
        INDArray difference = Transforms.abs(dense.params().sub(dl4j.params()));
        assertTrue(difference.maxNumber().doubleValue() < 2e-3, "max weight difference " + difference.maxNumber());
        assertTrue(difference.meanNumber().doubleValue() < 2e-5, "mean weight difference " + difference.meanNumber());
        assertEquals(dl4jResult.finalTrainLoss(), denseResult.finalTrainLoss(), 1e-3);
        assertEquals(dl4j.getIterationCount(), dense.getIterationCount());
        INDArray denseState = dense.getUpdater().getStateViewArray();
        INDArray dl4jState = dl4j.getUpdater().getStateViewArray();
        if (dl4jState != null) { // plain SGD has none
            INDArray stateDifference = Transforms.abs(denseState.sub(dl4jState));
            assertTrue(stateDifference.maxNumber().doubleValue() < 1e-3, "optimiser state difference " + stateDifference.maxNumber());
        }
    }

    @Test
    void takesPlainMlpsOnly() {
        assertTrue(DenseStepEngine.unsupported(TrainableNetwork.of(TrainingFixtures.mlp(1))).isEmpty());
        assertTrue(DenseStepEngine.unsupported(TrainableNetwork.of(ModelFactory.mlp(784, 300, 100, 10))).isEmpty());
        assertTrue(DenseStepEngine.unsupported(TrainableNetwork.of(ModelFactory.cnn(1))).isPresent());
        assertEquals("not a MultiLayerNetwork",
                DenseStepEngine.unsupported(TrainableNetwork.of(TrainingFixtures.residualGraph(1))).orElseThrow());
        assertTrue(DenseStepEngine.unsupported(TrainableNetwork.of(withDropout())).orElseThrow().contains("dropout"));
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
