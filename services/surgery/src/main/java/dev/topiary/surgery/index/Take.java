package dev.topiary.surgery.index;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Selecting (and scaling) entries along one axis of a parameter array. */
final class Take {
    private Take() {
    }

    /**
     * The entries {@code idx} of dimension {@code dim}, each multiplied by {@code scale[k]} when
     * {@code scale} is not null, or {@code a} itself when {@code idx} is null. Copied by hand through
     * doubles (exact for float and double weights): ND4J's point-index {@code get} fails on some 4-d
     * parameter views.
     */
    static INDArray take(INDArray a, int dim, int[] idx, double[] scale) {
        if (idx == null) {
            return a;
        }
        long[] shape = a.shape();
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < dim; i++) {
            outer *= shape[i];
        }
        for (int i = dim + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        double[] src = a.dup('c').data().asDouble();
        double[] dst = new double[Math.toIntExact(outer * idx.length * inner)];
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                int from = Math.toIntExact((o * shape[dim] + idx[j]) * inner);
                System.arraycopy(src, from, dst, at, (int) inner);
                if (scale != null && scale[j] != 1) {
                    for (int k = 0; k < inner; k++) {
                        dst[at + k] *= scale[j];
                    }
                }
                at += (int) inner;
            }
        }
        long[] newShape = shape.clone();
        newShape[dim] = idx.length;
        return Nd4j.create(dst, newShape, 'c').castTo(a.dataType());
    }
}
