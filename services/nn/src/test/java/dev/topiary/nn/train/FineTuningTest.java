package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/** A network trained (and saved with its Adam state) elsewhere is fine-tuned with another updater and rate. */
class FineTuningTest {
    private final Dataset data = TrainingFixtures.data();

    @ParameterizedTest(name = "dense engine allowed: {0}")
    @ValueSource(booleans = {true, false})
    void fineTunesALoadedAdamNetworkWithNesterovMomentum(boolean dense) throws IOException {
        MultiLayerNetwork trained = TrainingFixtures.mlp(3);
        new Trainer(TrainingFixtures.quick().withEpochs(1), dense).fit(trained, data, null, null);
        MultiLayerNetwork loaded = saveAndLoad(trained);
        loaded.getLayerWiseConfigurations().setTrainingWorkspaceMode(WorkspaceMode.NONE);
        assertEquals(2 * loaded.numParams(), loaded.getUpdater().getStateViewArray().length(), "Adam state came along");
        double before = TrainingFixtures.testAccuracy(loaded, data);

        TrainingConfig sgd = TrainingFixtures.quick().withEpochs(1).withUpdater("sgd", 0.9).withLearningRate(0.01)
                .withWeightDecay(5e-4);
        TrainingResult result = new Trainer(sgd, dense).fit(loaded, data, null, null);

        for (Layer layer : loaded.getLayers()) {
            BaseLayer conf = (BaseLayer) layer.conf().getLayer();
            Nesterovs updater = assertInstanceOf(Nesterovs.class, conf.getIUpdater());
            assertEquals(0.01, updater.getLearningRate(), 0.0, "the configured rate stays in the saved model");
            assertEquals(0.9, updater.getMomentum(), 0.0);
            assertEquals(List.of(new WeightDecay(5e-4, true)), conf.getRegularization());
            assertTrue(conf.getRegularizationBias().isEmpty());
        }
        assertEquals(loaded.numParams(), loaded.getUpdater().getStateViewArray().length(),
                "a fresh Nesterov state replaced the Adam moments");
        assertEquals(43, loaded.getIterationCount(), "counted from 0 again (ceil(2700 / 64) steps): Adam's bias correction depends on it");
        assertEquals(WorkspaceMode.ENABLED, loaded.getLayerWiseConfigurations().getTrainingWorkspaceMode());
        assertEquals(1, result.epochsRun());
        double after = TrainingFixtures.testAccuracy(loaded, data);
        assertTrue(after > before - 0.02 && after > 0.7, "accuracy " + before + " -> " + after);
    }

    private static MultiLayerNetwork saveAndLoad(MultiLayerNetwork net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
    }
}
