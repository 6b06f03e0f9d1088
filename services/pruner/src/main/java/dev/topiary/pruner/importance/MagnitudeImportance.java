package dev.topiary.pruner.importance;

import dev.topiary.pruner.graph.ChannelGroup;
import dev.topiary.pruner.graph.DependencyGraph;
import dev.topiary.pruner.graph.Node;
import dev.topiary.pruner.graph.NodeKind;
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
        Map<String, INDArray> params = graph.view().params(node);
        INDArray w = params.get("W");
        // Channels are columns of a Dense matrix [nIn, nOut] and rows of a conv kernel [nOut, nIn, kH, kW].
        INDArray perChannel = node.kind() == NodeKind.CONVOLUTION ? w.reshape('c', w.size(0), -1).transpose() : w;
        INDArray powered = p == 1 ? Transforms.abs(perChannel, true) : perChannel.mul(perChannel);
        double[] s = powered.sum(0).toDoubleVector();
        INDArray b = params.get("b");
        if (includeBias && b != null) {
            double[] bias = b.toDoubleVector();
            for (int i = 0; i < s.length; i++) {
                s[i] += p == 1 ? Math.abs(bias[i]) : bias[i] * bias[i];
            }
        }
        if (p == 2) {
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.sqrt(s[i]);
            }
        }
        return s;
    }
}
