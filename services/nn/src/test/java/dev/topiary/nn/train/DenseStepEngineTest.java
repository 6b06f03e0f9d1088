package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
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

}
