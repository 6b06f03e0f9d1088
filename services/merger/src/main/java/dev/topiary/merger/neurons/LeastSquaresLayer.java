package dev.topiary.merger.neurons;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.Consumer;
import dev.topiary.surgery.graph.Network;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Least-squares merging of one hidden layer's units, in function space: what the layer's readers
 * receive from a removed unit is re-expressed on every unit that stays (and on the readers'
 * biases), by least squares over the layer's outputs {@code h} for given network inputs. With
 * {@code G = E[h̃ h̃ᵀ]} ({@code h̃} = the outputs and a constant 1) and {@code P = G⁻¹} over the
 * units still alive, removing unit j costs {@code ‖a_j‖² / P_jj} in squared error of the
 * readers' pre-activations ({@code a_j} = j's rows in every reader), and the best correction adds
 * {@code −P_kj / P_jj · a_j} to every other row k: Optimal Brain Surgeon (Hassibi and Stork 1993)
 * with units for weights and the readers' rows as the weights removed together. Units go cheapest
 * first, one at a time; since each step refits the previous step's fit over a smaller set of
 * units, the end result is the least-squares fit of the original layer's contribution on the
 * units kept. A unit that is exactly {@code c} times another (a ReLU pair with proportional
 * weights) or any linear mix of others plus a constant costs nothing and merges exactly.
 */
final class LeastSquaresLayer {
    /**
     * Added to G's eigenvalues, relative to their mean: units that are dead or duplicated under the
     * inputs make G singular, and this keeps the inverse finite while biasing an exact re-expression
     * by about a millionth (1e-6 and 1e-4 merged the 784-300-100-10 MLP alike on the holdout; 1e-2
     * a little worse).
     */
    private static final double RIDGE = 1e-6;

    private LeastSquaresLayer() {}

    /**
     * Removes {@code count} units of the group's one producer from {@code net} in place (their
     * readers' rows end at zero, the rows of the units kept and the readers' biases absorb them)
     * and returns the indices of the units kept, ascending.
     */
    static int[] merge(Network net, ChannelGroup group, INDArray inputs, int count) {
        String producer = group.producers().get(0);
        List<Consumer> readers = group.consumers();
        int n = group.size();
        if (inputs.size(0) <= n) { // fewer rows than units: the second moments cannot tell every unit apart
            throw new IllegalArgumentException("merge neurons: layer '" + producer + "' has " + n
                    + " units, and least squares needs more inputs than that, got " + inputs.size(0) + " (raise 'samples')");
        }
        boolean constant = readers.stream().allMatch(c -> net.params(c.node()).containsKey("b"));
        double[][] p = inverse(secondMoments(net.activations(inputs).get(producer), constant));
        double[][] a = outgoing(net, readers, n, constant);
        boolean[] alive = new boolean[n];
        Arrays.fill(alive, true);
        for (int step = 0; step < count && step < n - 1; step++) {
            int j = cheapest(a, p, alive);
            double[] pj = p[j].clone();
            double[] aj = a[j].clone();
            for (int k = 0; k < p.length; k++) {
                double f = pj[k] / pj[j]; // 1 for j itself, whose rows end at zero; 0 for units already removed
                if (f != 0) {
                    for (int o = 0; o < aj.length; o++) {
                        a[k][o] -= f * aj[o];
                    }
                    for (int l = 0; l < p.length; l++) {
                        p[k][l] -= f * pj[l];
                    }
                }
            }
            alive[j] = false;
        }
        write(net, readers, n, constant, a);
        return IntStream.range(0, n).filter(k -> alive[k]).toArray();
    }

    /** The alive unit whose removal costs least, {@code ‖a_j‖² / P_jj}. */
    private static int cheapest(double[][] a, double[][] p, boolean[] alive) {
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int j = 0; j < alive.length; j++) {
            if (alive[j]) {
                double cost = Arrays.stream(a[j]).map(v -> v * v).sum() / p[j][j];
                if (best < 0 || cost < bestCost) {
                    best = j;
                    bestCost = cost;
                }
            }
        }
        return best;
    }

    /** {@code E[h̃ h̃ᵀ]} over the rows, in double; {@code h̃} ends with a constant 1 when the readers have biases. */
    private static INDArray secondMoments(INDArray outputs, boolean constant) {
        INDArray h = outputs.castTo(DataType.DOUBLE);
        if (constant) {
            h = Nd4j.hstack(h, Nd4j.ones(DataType.DOUBLE, h.size(0), 1));
        }
        return h.transpose().mmul(h).divi(h.size(0));
    }

    /**
     * The inverse of a symmetric positive semi-definite matrix through its eigenvectors (LAPACK's
     * syev), each eigenvalue raised by the ridge. ND4J's matrix_inverse fails on such matrices.
     */
    private static double[][] inverse(INDArray g) {
        int n = (int) g.size(0);
        INDArray vectors = g.dup('f');
        INDArray values = Nd4j.create(DataType.DOUBLE, n);
        int info = Nd4j.getBlasWrapper().lapack().syev('V', 'U', vectors, values);
        if (info != 0) {
            throw new IllegalStateException("neurons: the eigendecomposition of the layer's second moments failed (LAPACK info " + info + ")");
        }
        double[] lambda = values.toDoubleVector();
        double ridge = RIDGE * Math.max(Arrays.stream(lambda).map(l -> Math.max(l, 0)).average().orElse(0), Double.MIN_NORMAL);
        INDArray scaled = vectors.dup();
        for (int k = 0; k < n; k++) {
            scaled.getColumn(k).divi(Math.max(lambda[k], 0) + ridge);
        }
        return scaled.mmul(vectors.transpose()).toDoubleMatrix();
    }

    /** The readers' rows of the group's units side by side, {@code [units (+1 for the biases), Σ outputs]}. */
    private static double[][] outgoing(Network net, List<Consumer> readers, int n, boolean constant) {
        double[][] a = new double[n + (constant ? 1 : 0)][];
        for (int k = 0; k < a.length; k++) {
            a[k] = new double[0];
        }
        for (Consumer c : readers) {
            Map<String, INDArray> p = net.params(c.node());
            double[][] rows = p.get("W").get(NDArrayIndex.interval(c.offset(), c.offset() + n), NDArrayIndex.all()).toDoubleMatrix();
            for (int k = 0; k < n; k++) {
                a[k] = concat(a[k], rows[k]);
            }
            if (constant) {
                a[n] = concat(a[n], p.get("b").toDoubleVector());
            }
        }
        return a;
    }

    private static void write(Network net, List<Consumer> readers, int n, boolean constant, double[][] a) {
        int from = 0;
        for (Consumer c : readers) {
            Map<String, INDArray> p = net.params(c.node()); // live
            INDArray w = p.get("W");
            int width = (int) w.size(1);
            for (int k = 0; k < n; k++) {
                w.get(NDArrayIndex.point(c.offset() + k), NDArrayIndex.all()).assign(Nd4j.createFromArray(Arrays.copyOfRange(a[k], from, from + width)).castTo(w.dataType()));
            }
            if (constant) {
                INDArray b = p.get("b");
                b.assign(Nd4j.createFromArray(Arrays.copyOfRange(a[n], from, from + width)).reshape(b.shape()).castTo(b.dataType()));
            }
            from += width;
        }
    }

    private static double[] concat(double[] x, double[] y) {
        double[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
