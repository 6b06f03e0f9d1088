package dev.topiary.grower.wider;

import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Breaks the symmetry an exact widening leaves: a copy and the unit it copies get the same
 * gradients (their incoming weights are equal and their outgoing rows were divided equally), so
 * training keeps them identical forever. Net2WiderNet's remedy: add a little noise to the copies'
 * incoming weights, here Gaussian with a standard deviation of {@code share} times that of the
 * producer's weights. The function then changes slightly; the caller measures by how much.
 */
public final class SymmetryNoise {
    private SymmetryNoise() {
    }

    /** Adds the noise in place to the weights of the new units ({@code copies}, appended after the old ones) of each widened group. */
    public static void apply(Network wider, Map<String, int[]> copies, double share, long seed) {
        if (share == 0 || copies.isEmpty()) {
            return;
        }
        Random random = new Random(seed ^ 0x5DEECE66DL);
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(wider.model(), Widening.OPERATION));
        for (Map.Entry<String, int[]> e : copies.entrySet()) {
            var group = graph.groupOf(e.getKey());
            int first = group.size() - e.getValue().length;
            for (String producer : group.producers()) {
                INDArray w = wider.params(producer).get("W");
                ParamAxes axes = graph.view().node(producer).rules().axes("W");
                perturb(w, ParamAxes.resolve(axes.outAxis(), w.rank()), first, share * w.stdNumber().doubleValue(), random);
            }
        }
    }

    /** Adds N(0, sd²) to every entry whose index on {@code axis} is at least {@code first}. */
    private static void perturb(INDArray w, int axis, int first, double sd, Random random) {
        long[] shape = w.shape();
        double[] values = w.dup('c').data().asDouble();
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        for (int i = 0; i < values.length; i++) {
            if ((i / inner) % shape[axis] >= first) {
                values[i] += sd * random.nextGaussian();
            }
        }
        w.assign(Nd4j.create(values, shape, 'c').castTo(w.dataType()));
    }
}
