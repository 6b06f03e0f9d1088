package dev.topiary.merger.neurons;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** How the units that stay carry the outputs of the units merged away. */
public sealed interface Compensation {

    /**
     * Srinivas and Babu's rule: each removed unit is taken as {@code c} times one surviving unit
     * ({@link PairMerge}), chosen by the incoming weights alone; pairs whose incoming weights'
     * cosine similarity is below {@code similarity} never merge.
     */
    record Pairs(double similarity) implements Compensation {}

    /**
     * Every removed unit is re-expressed on all the units that stay, by least squares on the
     * layer's outputs for these network inputs ({@link LeastSquaresLayer}): Gaussian draws
     * ({@link #gaussian}, data-free) or a data set's rows.
     */
    record LeastSquares(INDArray inputs) implements Compensation {

        /**
         * {@code rows} standard normal inputs of {@code width} features, seeded: the data-free
         * assumption, no more than that the inputs are spread in every direction alike.
         */
        public static LeastSquares gaussian(long width, int rows, long seed) {
            Random random = Nd4j.getRandomFactory().getNewRandomInstance(seed);
            return new LeastSquares(Nd4j.randn(random, rows, width).castTo(DataType.FLOAT));
        }
    }
}
