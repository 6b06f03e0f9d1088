package dev.topiary.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class EpochBatchesTest {
    /** Row i holds the value i in every column, so gathered rows say where they came from. */
    private final INDArray features = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape(100, 1).repeat(1, 3);
    private final INDArray labels = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape(100, 1);

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void everyChosenRowOncePerEpochInANewSeededOrder(DataType type) {
        int[] rows = IntStream.range(0, 100).filter(i -> i % 10 != 0).toArray(); // 90 rows, 10 held out
        EpochBatches batches = new EpochBatches(features, labels, rows, 32, 5L, type);
        assertEquals(3, batches.batchCount());
        assertEquals(26, batches.batchRows(2));

        batches.shuffle();
        float[] first = epoch(batches);
        batches.shuffle();
        float[] second = epoch(batches);

        float[] expected = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            expected[i] = rows[i];
        }
        assertArrayEquals(expected, sorted(first));
        assertArrayEquals(expected, sorted(second));
        assertFalse(Arrays.equals(first, second), "each epoch has its own order");

        EpochBatches again = new EpochBatches(features, labels, rows, 32, 5L, type);
        again.shuffle();
        assertArrayEquals(first, epoch(again), "same seed, same order");
    }

    @org.junit.jupiter.api.Test
    void gathersFromAViewThatStartsInsideItsBuffer() {
        INDArray tail = features.get(NDArrayIndex.interval(10, 100), NDArrayIndex.all());
        INDArray tailLabels = labels.get(NDArrayIndex.interval(10, 100), NDArrayIndex.all());
        EpochBatches batches = new EpochBatches(tail, tailLabels, new int[] {0, 1, 89}, 8, 1L, DataType.FLOAT);
        batches.shuffle();
        float[] seen = sorted(epoch(batches));
        assertArrayEquals(new float[] {10, 11, 99}, seen);
    }

    /** The labels of one epoch in batch order, checking that every feature row travels with its label. */
    private static float[] epoch(EpochBatches batches) {
        float[] seen = new float[batches.rowCount()];
        int next = 0;
        for (int b = 0; b < batches.batchCount(); b++) {
            EpochBatches.Batch batch = batches.load(b);
            assertEquals(batches.batchRows(b), batch.rows());
            assertEquals(batch.rows(), batch.features().size(0));
            float[] labels = batch.labels().castTo(DataType.FLOAT).toFloatVector();
            assertArrayEquals(labels, batch.features().getColumn(2).castTo(DataType.FLOAT).toFloatVector());
            System.arraycopy(labels, 0, seen, next, labels.length);
            next += labels.length;
        }
        return seen;
    }

    private static float[] sorted(float[] values) {
        float[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
