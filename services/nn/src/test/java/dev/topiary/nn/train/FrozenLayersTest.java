package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.model.ModelArtifacts;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.model.SafeModelLoader;
import dev.topiary.nn.recovery.TrainerFineTuner;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Frozen layers keep their parameters through a fit, the others train, and the network is ordinary afterwards. */
class FrozenLayersTest {
    private final Dataset data = TrainingFixtures.data();

    @ParameterizedTest(name = "dense engine allowed: {0}")
    @ValueSource(booleans = {true, false})
    void frozenLayersStayWhileTheOthersTrainAndAreTrainableAfter(boolean dense) {
        MultiLayerNetwork net = TrainingFixtures.mlp(5);
        INDArray frozenBefore = net.getLayer(0).params().dup();
        INDArray trainableBefore = net.getLayer(1).params().dup();
        double accuracyBefore = TrainingFixtures.testAccuracy(net, data);

        new Trainer(TrainingFixtures.quick(), dense).fit(net, data, null,
                FrozenLayers.of(net, List.of("layer0")));

        assertEquals(frozenBefore, net.getLayer(0).params(), "frozen layer unchanged, bit for bit");
        assertNotEquals(trainableBefore, net.getLayer(1).params(), "the layer after it trained");
        double accuracy = TrainingFixtures.testAccuracy(net, data);
        assertTrue(accuracy > accuracyBefore + 0.2, "the rest learned around the frozen layer: " + accuracyBefore + " -> " + accuracy);

        // ordinary again: every layer records the same updater, and the next fit trains the frozen layer too
        assertEquals(((BaseLayer) net.getLayer(1).conf().getLayer()).getIUpdater(),
                ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater());
        MultiLayerNetwork reloaded = SafeModelLoader.load(ModelArtifacts.save(net, true)).multiLayerNetwork();
        new Trainer(TrainingFixtures.quick().withEpochs(1), dense).fit(reloaded, data, null, null);
        assertNotEquals(frozenBefore, reloaded.getLayer(0).params());
    }

    @ParameterizedTest(name = "dense engine allowed: {0}")
    @ValueSource(booleans = {true, false})
    void aHeldBackLayerKeepsItsShareOfTheStep(boolean dense) {
        Dataset oneBatch = data.limit(320, 64); // 288 rows before the holdout: one step of 288
        TrainingConfig oneStep = TrainingFixtures.quick().withEpochs(1).withBatchSize(288);
        MultiLayerNetwork free = TrainingFixtures.mlp(5);
        MultiLayerNetwork held = free.clone();
        INDArray before = free.getLayer(0).params().dup();

        new Trainer(oneStep, dense).fit(free, oneBatch, null, null);
        new Trainer(oneStep, dense).fit(held, oneBatch, null, FrozenLayers.of(held, List.of("layer0"), 0.25));

        INDArray fullStep = free.getLayer(0).params().sub(before);
        INDArray heldStep = held.getLayer(0).params().sub(before);
        assertTrue(fullStep.amaxNumber().doubleValue() > 1e-4, "the layer moved: " + fullStep.amaxNumber());
        assertEquals(0, heldStep.sub(fullStep.mul(0.25)).amaxNumber().doubleValue(), 1e-6, "a quarter of the step");
        assertEquals(free.getLayer(1).params(), held.getLayer(1).params(), "the other layers took the whole step");
        assertThrows(IllegalArgumentException.class, () -> FrozenLayers.of(held, List.of("layer0"), 1.0));
    }

    @ParameterizedTest(name = "frozen: {0}")
    @ValueSource(strings = {"conv1,bn1", "bn2"})
    void batchNormStatisticsAreFrozenToo(String layers) {
        Dataset few = DatasetCatalog.resolve(DatasetCatalog.FASHION_MNIST_SMALL + "?train=256&test=64");
        MultiLayerNetwork cnn = ModelFactory.cnn(3, true);
        List<String> frozen = List.of(layers.split(","));
        List<INDArray> before = frozen.stream().map(l -> cnn.getLayer(l).params().dup()).toList();
        INDArray dense1 = cnn.getLayer("dense1").params().dup();

        TrainerFineTuner.of(few, 1e-3, 0.01, 1, null).freezing(frozen).fineTune(cnn, 1, StepHook.NONE);

        for (int i = 0; i < frozen.size(); i++) {
            assertEquals(before.get(i), cnn.getLayer(frozen.get(i)).params(), frozen.get(i) + " (running mean and variance too)");
        }
        assertNotEquals(dense1, cnn.getLayer("dense1").params());
    }

    @org.junit.jupiter.api.Test
    void aHeldBackLayerStartsEachStepWhereTheLastLeftIt() {
        MultiLayerNetwork net = TrainingFixtures.mlp(5);
        INDArray params = net.getLayer(0).params();
        INDArray before = params.dup();
        FrozenLayers half = FrozenLayers.of(net, List.of("layer0"), 0.5);
        for (int step = 1; step <= 3; step++) {
            params.addi(1.0); // a step of +1 on every parameter, as a trainer would take
            half.afterStep(net);
            assertEquals(0, params.sub(before).subi(0.5 * step).amaxNumber().doubleValue(), 1e-6,
                    "after " + step + " steps of +1 the layer has moved half of each: " + 0.5 * step);
        }
    }

    @org.junit.jupiter.api.Test
    void anUnknownLayerIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrozenLayers.of(ModelFactory.mlp(784, 16, 10), List.of("dense9")));
        assertTrue(e.getMessage().contains("'dense9'") && e.getMessage().contains("[dense1, output]"), e.getMessage());
    }
}
