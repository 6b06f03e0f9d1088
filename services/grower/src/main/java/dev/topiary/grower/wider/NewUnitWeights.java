package dev.topiary.grower.wider;

import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The incoming weights of the units a widening added (appended after the old ones in every
 * producer of each widened group), changed after the surgery in one of two ways:
 * <ul>
 *   <li>{@link #addNoise}, for copies ({@link Widening.Init#COPY}): a copy and the unit it copies
 *       get the same gradients (equal incoming weights, outgoing rows divided equally), so training
 *       keeps them identical forever. Net2WiderNet's remedy: a little Gaussian noise on the copies'
 *       incoming weights, with a standard deviation of {@code share} times that of the producer's
 *       weights. The function then changes slightly; the caller measures by how much.
 *   <li>{@link #drawFresh}, for silent units ({@link Widening.Init#FRESH}): the consumers read them
 *       with weight 0, so their incoming weights are free; drawn anew, each new unit computes a
 *       feature of its own and there is no symmetry to break. The function stays exact. The scale
 *       is the widened producer's weight standard deviation, on purpose: where the producer's
 *       inputs widened too, their silent rows are 0 and pull it down in proportion to the inputs
 *       added (1/√2 when they doubled), so a new unit's input sum, over all the inputs, has the
 *       scale of an old unit's over the old ones.
 * </ul>
 */
public final class NewUnitWeights {
    private NewUnitWeights() {
    }

    /** Adds N(0, (share x sd of the producer's weights)²) to the new units' incoming weights, in place. */
    public static void addNoise(Network wider, Map<String, int[]> added, double share, long seed) {
        if (share > 0) {
            change(wider, added, seed, (sd, random) -> w -> w + share * sd * random.nextGaussian());
        }
    }

    /** Replaces the new units' incoming weights by draws from N(0, sd of the producer's weights²), in place. */
    public static void drawFresh(Network wider, Map<String, int[]> added, long seed) {
        change(wider, added, seed, (sd, random) -> w -> sd * random.nextGaussian());
    }

    /** How a producer's new-unit weights change, given the standard deviation of all its weights. */
    private interface Change {
        DoubleUnaryOperator of(double sd, Random random);
    }

    private static void change(Network wider, Map<String, int[]> added, long seed, Change change) {
        if (added.isEmpty()) {
            return;
        }
        Random random = new Random(seed ^ 0x5DEECE66DL);
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(wider.model(), Widening.OPERATION));
        for (Map.Entry<String, int[]> e : added.entrySet()) {
            var group = graph.groupOf(e.getKey());
            int first = group.size() - e.getValue().length;
            for (String producer : group.producers()) {
                INDArray w = wider.params(producer).get("W");
                ParamAxes axes = graph.view().node(producer).rules().axes("W");
                apply(w, ParamAxes.resolve(axes.outAxis(), w.rank()), first, change.of(w.stdNumber().doubleValue(), random));
            }
        }
    }

    /** Applies {@code f} to every entry whose index on {@code axis} is at least {@code first}. */
    private static void apply(INDArray w, int axis, int first, DoubleUnaryOperator f) {
        long[] shape = w.shape();
        double[] values = w.dup('c').data().asDouble();
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        for (int i = 0; i < values.length; i++) {
            if ((i / inner) % shape[axis] >= first) {
                values[i] = f.applyAsDouble(values[i]);
            }
        }
        w.assign(Nd4j.create(values, shape, 'c').castTo(w.dataType()));
    }
}
