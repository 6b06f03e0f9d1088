package dev.topiary.pruner.importance;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Data that data-driven criteria (activation, APoZ, Taylor) look at: features already shaped for
 * the model's input and their one-hot labels (labels may be null for activation criteria).
 */
public record Sample(INDArray features, INDArray labels) {

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
