package dev.topiary.pruner.importance;

import dev.topiary.nn.data.Sample;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.Consumer;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * First-order Taylor importance (Molchanov et al., 2017): {@code |sum of a * dL/da|}, the loss
 * change the first-order expansion predicts when channel {@code a} is set to zero, averaged over
 * mini-batches.
 *
 * <p>DL4J exposes parameter gradients, not activation gradients, so the product is read off the
 * layers that consume the channel. For a consumer {@code z = a W + b},
 * {@code dL/dW[i,j] = sum_n a[n,i] dL/dz[n,j]}, hence {@code sum_j W[i,j] dL/dW[i,j] =
 * sum_n a[n,i] dL/da[n,i]} (the part of the gradient flowing through that consumer); the same holds
 * for convolution kernels over positions and for the H*W row block of a flattened channel.
 * Contributions of consumers reading the same tensor are added before the absolute value; each
 * tensor of a group (e.g. the two sides of a residual add) is one member. The sum is over a whole
 * mini-batch (the original takes it per example), so keep batches small.
 *
 * <pre>{@code
 * Importance taylor = new TaylorImportance(32, Reduction.SUM, Normalizer.MEAN);
 * double[][] scores = taylor.score(graph, new Sample(features, labels));
 * }</pre>
 */
public final class TaylorImportance extends GroupImportance {
    private final int batchSize;

    public TaylorImportance(int batchSize, Reduction reduction, Normalizer normalizer) {
        super(reduction, normalizer);
        this.batchSize = batchSize;
    }

    @Override
    public boolean needsData() {
        return true;
    }

    @Override
    protected List<List<double[]>> memberScores(DependencyGraph graph, Sample sample) {
        if (sample == null || sample.size() == 0 || sample.labels() == null) {
            throw new IllegalArgumentException("importance taylor needs data with labels");
        }
        // group id -> tensor read by consumers -> summed |a * dL/da| over batches
        Map<Integer, Map<String, double[]>> totals = new LinkedHashMap<>();
        int batches = 0;
        for (int from = 0; from < sample.size(); from += batchSize) {
            Sample batch = sample.rows(from, Math.min(sample.size(), from + batchSize));
            computeGradient(graph.view().model(), batch);
            batches++;
            for (ChannelGroup g : graph.prunableGroups()) {
                Map<String, double[]> signed = new LinkedHashMap<>();
                for (Consumer c : g.consumers()) {
                    signed.merge(c.source(), perInputChannel(graph, c, g.size()), TaylorImportance::add);
                }
                signed.forEach((source, s) -> {
                    double[] abs = new double[s.length];
                    for (int i = 0; i < s.length; i++) {
                        abs[i] = Math.abs(s[i]);
                    }
                    totals.computeIfAbsent(g.id(), k -> new LinkedHashMap<>()).merge(source, abs, TaylorImportance::add);
                });
            }
        }
        List<List<double[]>> out = emptyLists(graph);
        for (ChannelGroup g : graph.prunableGroups()) {
            List<double[]> members = new ArrayList<>();
            for (double[] total : totals.getOrDefault(g.id(), Map.of()).values()) {
                double[] m = total.clone();
                for (int i = 0; i < m.length; i++) {
                    m[i] /= batches;
                }
                members.add(m);
            }
            out.set(g.id(), members);
        }
        return out;
    }

    /** {@code sum W * dL/dW} over everything but the input-row axis of the consumer's weights, per channel of the group. */
    private static double[] perInputChannel(DependencyGraph graph, Consumer c, int channels) {
        Node node = graph.view().node(c.node());
        double[] total = new double[channels];
        for (Map.Entry<String, INDArray> param : graph.view().params(node).entrySet()) {
            ParamAxes axes = node.rules().axes(param.getKey());
            if (axes == null || !axes.weight() || !axes.hasIn()) {
                continue;
            }
            INDArray w = param.getValue().castTo(DataType.DOUBLE);
            INDArray grad = graph.view().gradient(node, param.getKey()).castTo(DataType.DOUBLE);
            INDArray prod = w.mul(grad);
            int in = ParamAxes.resolve(axes.inAxis(), prod.rank());
            int[] others = java.util.stream.IntStream.range(0, prod.rank()).filter(d -> d != in).toArray();
            INDArray perRow = prod.sum(others);                   // e.g. [nIn, nOut] -> [nIn], [nOut, nIn, kH, kW] -> [nIn]
            if (c.offset() != 0 || perRow.length() != (long) channels * c.block()) {
                perRow = perRow.get(NDArrayIndex.interval(c.offset(), c.offset() + (long) channels * c.block()));
            }
            double[] s = perRow.reshape('c', channels, c.block()).sum(1).toDoubleVector();
            for (int i = 0; i < channels; i++) {
                total[i] += s[i];
            }
        }
        return total;
    }

    private static void computeGradient(Model model, Sample batch) {
        Network.of(model).computeGradientAndScore(batch.features(), batch.labels());
    }

    private static double[] add(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += b[i];
        }
        return c;
    }
}
