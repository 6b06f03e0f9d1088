package dev.topiary.pruner.importance;

import dev.topiary.nn.data.Sample;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Lp norm of what produces a channel: the weight column of a Dense neuron or the filter of a
 * convolution ({@code W[:, i]} or {@code W[i, :, :, :]}), plus its bias if asked. A channel whose
 * weights and bias are all zero scores zero and goes first, which is what makes pruning it exact.
 *
 * <pre>{@code
 * Importance l1 = new MagnitudeImportance(1, true, Reduction.SUM, Normalizer.MEAN);
 * Importance l2 = new MagnitudeImportance(2, false, Reduction.MEAN, Normalizer.NONE);
 * }</pre>
 */
public final class MagnitudeImportance extends GroupImportance {
    private final int p;
    private final boolean includeBias;

    /**
     * @param p 1 for the L1 norm, 2 for L2
     * @param includeBias whether the channel's bias counts towards its norm
     */
    public MagnitudeImportance(int p, boolean includeBias, Reduction reduction, Normalizer normalizer) {
        super(reduction, normalizer);
        if (p != 1 && p != 2) {
            throw new IllegalArgumentException("p must be 1 or 2, got " + p);
        }
        this.p = p;
        this.includeBias = includeBias;
    }

    @Override
    protected List<List<double[]>> memberScores(DependencyGraph graph, Sample sample) {
        List<List<double[]>> out = emptyLists(graph);
        for (ChannelGroup g : graph.prunableGroups()) {
            for (String producer : g.producers()) {
                out.get(g.id()).add(norm(graph, graph.view().node(producer)));
            }
        }
        return out;
    }

    private double[] norm(DependencyGraph graph, Node node) {
        double[] s = null;
        double[] bias = null;
        for (Map.Entry<String, INDArray> param : graph.view().params(node).entrySet()) {
            ParamAxes axes = node.rules().axes(param.getKey());
            if (axes == null || !axes.hasOut()) {
                continue;
            }
            if (axes.weight()) {
                INDArray perChannel = perChannelColumns(param.getValue(), axes.outAxis());
                INDArray powered = p == 1 ? Transforms.abs(perChannel, true) : perChannel.mul(perChannel);
                s = add(s, powered.sum(0).toDoubleVector());
            } else {
                bias = add(bias, param.getValue().toDoubleVector(), p);
            }
        }
        if (includeBias && bias != null) {
            for (int i = 0; i < s.length; i++) {
                s[i] += bias[i];
            }
        }
        if (p == 2) {
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.sqrt(s[i]);
            }
        }
        return s;
    }

    /**
     * The weight as a matrix with one column per output channel: a Dense {@code W[nIn, nOut]} as it
     * is, a kernel {@code W[nOut, nIn, kH, kW]} flattened per filter and transposed.
     */
    private static INDArray perChannelColumns(INDArray w, int outAxis) {
        int axis = ParamAxes.resolve(outAxis, w.rank());
        if (axis == w.rank() - 1 && w.rank() == 2) {
            return w;
        }
        if (axis == 0) {
            return w.reshape('c', w.size(0), -1).transpose();
        }
        throw new IllegalArgumentException("weights with channels on axis " + axis + " of " + w.rank() + " are not handled");
    }

    private static double[] add(double[] sum, double[] values) {
        if (sum == null) {
            return values;
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += values[i];
        }
        return sum;
    }

    /** Adds {@code |v|} (p = 1) or {@code v^2} (p = 2) per channel. */
    private static double[] add(double[] sum, double[] values, int p) {
        double[] powered = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            powered[i] = p == 1 ? Math.abs(values[i]) : values[i] * values[i];
        }
        return add(sum, powered);
    }
}
