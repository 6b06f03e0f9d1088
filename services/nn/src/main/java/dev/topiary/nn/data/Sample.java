package dev.topiary.nn.data;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A few examples that data-driven decisions look at (activation and Taylor importance, aligning
 * units before a merge): features (shaped for the model, or flat rows of a data set) and their
 * one-hot labels (labels may be null for criteria that need none).
 *
 * <pre>{@code
 * Sample sample = Sample.fromTraining(data, 512, seed);   // the same rows for the same seed
 * }</pre>
 */
public record Sample(INDArray features, INDArray labels) {

    /**
     * A seeded random subset of {@code count} training rows (all when there are fewer): drawn from
     * the rows a stage trains on ({@link Dataset#fitSize()}), never the holdout choices are scored
     * on nor the test split whose accuracy a version reports.
     */
    public static Sample fromTraining(Dataset data, int count, long seed) {
        int n = Math.min(count, data.fitSize());
        int[] all = new int[data.fitSize()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(all.length - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] rows = Arrays.copyOf(all, n);
        return new Sample(Nd4j.pullRows(data.trainFeatures(), 1, rows), Nd4j.pullRows(data.trainLabels(), 1, rows));
    }

    public int size() {
        return (int) features.size(0);
    }

    /** Rows {@code [from, to)} of features and labels. */
    public Sample rows(int from, int to) {
        return new Sample(slice(features, from, to), labels == null ? null : slice(labels, from, to));
    }

    private static INDArray slice(INDArray a, int from, int to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < idx.length; i++) {
            idx[i] = NDArrayIndex.all();
        }
        return a.get(idx).dup();
    }
}
