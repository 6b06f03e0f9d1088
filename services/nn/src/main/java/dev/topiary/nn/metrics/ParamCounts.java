package dev.topiary.nn.metrics;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter counts, total and non-zero, because pruning that zeroes weights without removing
 * them shows up only in the second number. Exact: a weight of 1e-30 is non-zero (ND4J's match
 * conditions compare with a tolerance, so they are not used), and the count runs natively over
 * the network's one parameter buffer, with no copy.
 */
public final class ParamCounts {

    private ParamCounts() {}

    /** All parameters: weights, biases, batch-norm statistics. */
    public static long params(Model model) {
        return model.numParams();
    }

    /** Parameters that are not exactly zero. */
    public static long nonzeroParams(Model model) {
        return nonzeros(model.params());
    }

    /** Elements of {@code array} that are not exactly zero; 0 for null or empty. */
    public static long nonzeros(INDArray array) {
        if (array == null || array.isEmpty()) {
            return 0;
        }
        return Nd4j.getExecutioner().exec(new CountNonZero(array)).getLong(0);
    }
}
