package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EpochBatchesTest {
    /** Row i holds the value i in every column, so gathered rows say where they came from. */
    private final INDArray features = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape(100, 1).repeat(1, 3);
    private final INDArray labels = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape(100, 1);

    @Test
    void everyChosenRowOncePerEpochInANewSeededOrder() {
        int[] rows = IntStream.range(0, 100).filter(i -> i % 10 != 0).toArray(); // 90 rows, 10 held out
        EpochBatches batches = new EpochBatches(features, labels, rows, 32, 5L, DataType.FLOAT);
        assertEquals(3, batches.batchCount());
        assertEquals(26, batches.batchRows(2));

        batches.shuffle();
        float[] first = batches.allLabels().toFloatVector();
        batches.shuffle();
        float[] second = batches.allLabels().toFloatVector();

        float[] expected = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            expected[i] = rows[i];
        }
        assertArrayEquals(sorted(expected), sorted(first));
        assertArrayEquals(sorted(expected), sorted(second));
        assertFalse(Arrays.equals(first, second), "each epoch has its own order");
        assertArrayEquals(batches.allFeatures().getColumn(2).toFloatVector(), second, "features travel with their labels");
        assertEquals(32, batches.features(0).size(0));
        assertEquals(second[64], batches.labels(2).getFloat(0, 0));

        EpochBatches again = new EpochBatches(features, labels, rows, 32, 5L, DataType.FLOAT);
        again.shuffle();
        assertArrayEquals(first, again.allLabels().toFloatVector(), "same seed, same order");
    }

    private static float[] sorted(float[] values) {
        float[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
