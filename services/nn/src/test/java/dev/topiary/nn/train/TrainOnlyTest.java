package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The labels a grow leaves for the next training: the layers to train, the others' share of the rate, removed once honoured. */
class TrainOnlyTest {

    @Test
    void theOthersTrainAtTheLabelledShareOfTheRate() {
        Dataset oneBatch = TrainingFixtures.data().limit(320, 64); // one step of the 288 rows before the holdout
        TrainingConfig oneStep = TrainingFixtures.quick().withEpochs(1).withBatchSize(288);
        MultiLayerNetwork free = TrainingFixtures.mlp(7);
        MultiLayerNetwork held = free.clone();
        INDArray firstBefore = free.getLayer(0).params().dup();
        Map<String, String> labels = TrainOnly.labels(List.of("layer1"), 0.5);

        new Trainer(oneStep).fit(free, oneBatch, null, null);
        new Trainer(oneStep).fit(held, oneBatch, null, TrainOnly.holdOthers(held, labels));

        INDArray halfStep = free.getLayer(0).params().sub(firstBefore).mul(0.5);
        assertEquals(0, held.getLayer(0).params().sub(firstBefore).sub(halfStep).amaxNumber().doubleValue(), 1e-6,
                "layer0, not named, took half the step");
        assertEquals(free.getLayer(1).params(), held.getLayer(1).params(), "layer1, named, took all of it");
    }

    @Test
    void labelsSayTheShareOnlyWhenThereIsOneAndAreRemovedTogether() {
        assertEquals(Map.of(TrainOnly.LABEL, "a,b"), TrainOnly.labels(List.of("a", "b"), 0));
        assertEquals(Map.of(TrainOnly.LABEL, "a", TrainOnly.OTHERS_RATE, "0.1"), TrainOnly.labels(List.of("a"), 0.1));
        Map<String, String> removed = new HashMap<>();
        removed.put(TrainOnly.LABEL, null);
        removed.put(TrainOnly.OTHERS_RATE, null);
        assertEquals(removed, TrainOnly.honoured());

        Map<String, String> bad = Map.of(TrainOnly.LABEL, "layer1", TrainOnly.OTHERS_RATE, "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainOnly.holdOthers(TrainingFixtures.mlp(7), bad));
        assertTrue(e.getMessage().contains(TrainOnly.OTHERS_RATE) && e.getMessage().contains("'fast'"), e.getMessage());
        for (double share : new double[] {-0.1, 1.0, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> TrainOnly.labels(List.of("layer1"), share), "share " + share);
        }
    }
}
