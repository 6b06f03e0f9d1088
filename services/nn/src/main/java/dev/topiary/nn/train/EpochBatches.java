package dev.topiary.nn.train;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training rows in a fresh seeded order every epoch, served one minibatch at a time.
 *
 * <p>Each epoch draws a new permutation of all rows (not just of the batch order, so minibatches
 * differ from epoch to epoch). {@link #load} then copies one batch's rows into two buffers
 * allocated once, one {@code memcpy} per row: about 40 µs for 128 Fashion-MNIST rows, the batch
 * lands in cache right before the step reads it, and no copy of the whole training set is made
 * (gathering all 60000 rows up front cost 50-150 ms per epoch with {@code pullRows} and another
 * 188 MB). No iterator and no prefetch thread. The last batch of an epoch may be smaller.
 */
final class EpochBatches {
    private final INDArray sourceFeatures;
    private final INDArray sourceLabels;
    private final int[] rows;
    private final int batchSize;
    private final SplittableRandom random;
    private final INDArray features;
    private final INDArray labels;
    private final NativeFloats featureSource;
    private final NativeFloats labelSource;
    private final NativeFloats featureTarget;
    private final NativeFloats labelTarget;

    EpochBatches(INDArray sourceFeatures, INDArray sourceLabels, int[] rows, int batchSize, long seed, DataType type) {
        this.sourceFeatures = contiguous(sourceFeatures, type);
        this.sourceLabels = contiguous(sourceLabels, type);
        this.rows = rows.clone();
        this.batchSize = batchSize;
        this.random = new SplittableRandom(seed);
        this.features = Nd4j.create(type, new long[] {batchSize, sourceFeatures.size(1)}, 'c');
        this.labels = Nd4j.create(type, new long[] {batchSize, sourceLabels.size(1)}, 'c');
        boolean floats = type == DataType.FLOAT;
        this.featureSource = floats ? new NativeFloats(this.sourceFeatures) : null;
        this.labelSource = floats ? new NativeFloats(this.sourceLabels) : null;
        this.featureTarget = floats ? new NativeFloats(features) : null;
        this.labelTarget = floats ? new NativeFloats(labels) : null;
    }

    /** Draws this epoch's order. */
    void shuffle() {
        Shuffle.permute(rows, random);
    }

    int rowCount() {
        return rows.length;
    }

    int batchCount() {
        return (rows.length + batchSize - 1) / batchSize;
    }

    int batchRows(int batch) {
        return Math.min(batchSize, rows.length - batch * batchSize);
    }

    /**
     * Copies batch {@code batch}'s rows into the batch buffers and returns views of its rows,
     * valid until the next load.
     */
    Batch load(int batch) {
        int from = batch * batchSize;
        int count = batchRows(batch);
        if (featureSource != null) {
            copyRows(featureSource, featureTarget, features.size(1), from, count);
            copyRows(labelSource, labelTarget, labels.size(1), from, count);
        } else {
            int[] picked = java.util.Arrays.copyOfRange(rows, from, from + count);
            firstRows(features, count).assign(Nd4j.pullRows(sourceFeatures, 1, picked));
            firstRows(labels, count).assign(Nd4j.pullRows(sourceLabels, 1, picked));
        }
        return new Batch(firstRows(features, count), firstRows(labels, count), count);
    }

    /** The whole feature buffer ({@code [batchSize, features]}): a batch of n rows is its first n rows. */
    INDArray featureBuffer() {
        return features;
    }

    INDArray labelBuffer() {
        return labels;
    }

    private void copyRows(NativeFloats from, NativeFloats to, long width, int first, int count) {
        for (int i = 0; i < count; i++) {
            NativeFloats.copy(from, rows[first + i] * width, to, i * width, width);
        }
    }

    private static INDArray firstRows(INDArray buffer, int count) {
        return count == buffer.size(0) ? buffer : buffer.get(NDArrayIndex.interval(0, count), NDArrayIndex.all());
    }

    /** Row copies need plain row-major memory of the network's type; data sets usually are already. */
    private static INDArray contiguous(INDArray source, DataType type) {
        INDArray typed = source.dataType() == type ? source : source.castTo(type);
        return typed.ordering() == 'c' && typed.elementWiseStride() == 1 ? typed : typed.dup('c');
    }

    /** One minibatch: views of the batch buffers. */
    record Batch(INDArray features, INDArray labels, int rows) {}
}
