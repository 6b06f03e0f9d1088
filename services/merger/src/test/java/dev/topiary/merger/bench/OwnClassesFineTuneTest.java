package dev.topiary.merger.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.nn.data.Dataset;
import dev.topiary.nn.data.DatasetCatalog;
import dev.topiary.nn.model.ModelFactory;
import dev.topiary.nn.train.TrainingConfig;
import dev.topiary.surgery.graph.Network;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fine-tune on classes 3 and 7 with a loss over those two only (not 0 and 1, whose numbers are also
 * their positions among the two): their output units and the hidden
 * layer learn, the other eight classes' output units stay exactly as they were.
 */
class OwnClassesFineTuneTest {

    @Test
    void onlyTheOwnClassesOutputUnitsAndTheHiddenLayersChange() {
        Dataset data = DatasetCatalog.resolve("fashion-mnist-small?train=600&test=100");
        Network parent = Network.of(ModelFactory.mlp(3, new int[] {784, 16, 10}));
        Network tuned = OwnClassesFineTune.fineTune(parent, data, new int[] {3, 7},
                TrainingConfig.defaults().withEpochs(1), List.of());
        INDArray before = parent.params("output").get("W");
        INDArray after = tuned.params("output").get("W");
        for (int k = 0; k < 10; k++) {
            double moved = before.getColumn(k).sub(after.getColumn(k)).amaxNumber().doubleValue();
            double bias = Math.abs(parent.params("output").get("b").getDouble(k) - tuned.params("output").get("b").getDouble(k));
            if (k == 3 || k == 7) {
                assertTrue(moved > 1e-4 && bias > 0, "class " + k + " learns: " + moved);
            } else {
                assertEquals(0, moved + bias, "class " + k + " untouched");
            }
        }
        assertTrue(parent.params("dense1").get("W").sub(tuned.params("dense1").get("W")).amaxNumber().doubleValue() > 1e-4);
    }
}
