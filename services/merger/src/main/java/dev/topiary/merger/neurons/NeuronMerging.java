package dev.topiary.merger.neurons;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.Consumer;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Data-free merging of near-duplicate neurons (Srinivas and Babu 2015): in a hidden Dense layer,
 * when unit j's incoming weights (with its bias) are close to {@code c} times unit i's, unit j's
 * output is about {@code c} times unit i's, so j is removed and its outgoing weights, times
 * {@code c}, are added to i's. For a ReLU or linear layer {@code c} is the best positive scale
 * (ReLU is positively homogeneous); for any other activation it is 1. Pairs are merged cheapest
 * first, the cost of merging j into i being {@code ‖a_j‖²·‖w_j − c·w_i‖²} (its outgoing weights
 * {@code a_j} times the error in its input side), until {@code fraction} of the layer's units are
 * gone or the closest remaining pair's cosine similarity is below {@code similarity}. No data is
 * looked at. The network is rebuilt physically smaller through an index map, so consumers and the
 * rest of the network follow.
 */
public final class NeuronMerging {
    private NeuronMerging() {}

    /** How many units each merged layer lost. */
    public record Result(Network network, Map<String, Integer> merged) {}

    /**
     * @param fraction the most units of each layer to merge away, in [0, 1)
     * @param similarity the lowest cosine similarity of incoming weights a merged pair may have, or 0 for no limit
     * @param only the layers to merge in, or empty for every hidden Dense layer that qualifies
     */
    public static Result merge(Network net, double fraction, double similarity, List<String> only) {
        Network work = net.copy();
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(work.model(), "merge"));
        for (String name : only) {
            if (graph.prunableGroups().stream().noneMatch(g -> g.name().equals(name) && qualifies(graph, g))) {
                throw new IllegalArgumentException("neurons: '" + name + "' is not a hidden Dense layer whose units only "
                        + "Dense or Output layers read" + (graph.view().has(name) ? "" : " (no layer has that name)"));
            }
        }
        Map<Integer, IndexMap> maps = new HashMap<>();
        Map<String, Integer> merged = new java.util.TreeMap<>();
        for (ChannelGroup g : graph.prunableGroups()) {
            if (!qualifies(graph, g) || (!only.isEmpty() && !only.contains(g.name()))) {
                continue;
            }
            int target = (int) Math.floor(fraction * g.size());
            int[] kept = mergeLayer(graph, g, Math.min(target, g.size() - 1), similarity);
            if (kept.length < g.size()) {
                maps.put(g.id(), IndexMap.keep(g.size(), kept));
                merged.put(g.name(), g.size() - kept.length);
            }
        }
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("neurons: nothing to merge (no hidden Dense layer"
                    + (similarity > 0 ? " has a pair of units with cosine similarity >= " + similarity : " qualifies") + ")");
        }
        return new Result(IndexPlan.of(maps).apply(graph), merged);
    }

    /** A group made by one Dense layer alone (no normalisation, no residual tie), read by Dense or Output layers directly. */
    static boolean qualifies(DependencyGraph graph, ChannelGroup g) {
        if (g.producers().size() != 1 || !g.normalizations().isEmpty() || g.consumers().isEmpty()) {
            return false;
        }
        Node producer = graph.view().node(g.producers().get(0));
        if (producer.config().getClass() != DenseLayer.class || ((DenseLayer) producer.config()).hasLayerNorm()) {
            return false;
        }
        for (Consumer c : g.consumers()) {
            Node n = graph.view().node(c.node());
            if (c.block() != 1 || !(n.config() instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer)
                    || n.config() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer) {
                return false;
            }
        }
        return true;
    }

    /** Merges up to {@code count} units of the group in place (consumers' rows absorb them); returns the kept units, ascending. */
    private static int[] mergeLayer(DependencyGraph graph, ChannelGroup g, int count, double similarity) {
        Network net = graph.view().network();
        String layer = g.producers().get(0);
        DenseLayer conf = (DenseLayer) graph.view().node(layer).config();
        boolean homogeneous = conf.getActivationFn() instanceof ActivationReLU
                || conf.getActivationFn() instanceof ActivationIdentity;
        Map<String, INDArray> p = net.params(layer);
        INDArray in = p.get("W").castTo(DataType.DOUBLE).transpose(); // [units, inputs]
        if (p.containsKey("b")) {
            in = org.nd4j.linalg.factory.Nd4j.hstack(in, p.get("b").castTo(DataType.DOUBLE).reshape(g.size(), 1));
        }
        double[][] w = in.toDoubleMatrix();
        int n = g.size();
        double[] norm2 = new double[n];
        for (int i = 0; i < n; i++) {
            norm2[i] = dot(w[i], w[i]);
        }
        double[][] gram = in.mmul(in.transpose()).toDoubleMatrix();
        double[] out2 = outgoingNorms(graph, g);
        boolean[] alive = new boolean[n];
        java.util.Arrays.fill(alive, true);
        for (int step = 0; step < count; step++) {
            int bestI = -1;
            int bestJ = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            double bestScale = 1;
            for (int i = 0; i < n; i++) {
                if (!alive[i] || norm2[i] == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    if (j == i || !alive[j]) {
                        continue;
                    }
                    double cos = gram[i][j] / Math.sqrt(norm2[i] * Math.max(norm2[j], 1e-30));
                    if (cos < similarity) {
                        continue;
                    }
                    double c = homogeneous ? Math.max(0, gram[i][j] / norm2[i]) : 1;
                    double error = norm2[j] - 2 * c * gram[i][j] + c * c * norm2[i]; // ‖w_j − c·w_i‖²
                    double cost = out2[j] * Math.max(error, 0);
                    if (cost < bestCost) {
                        bestCost = cost;
                        bestI = i;
                        bestJ = j;
                        bestScale = c;
                    }
                }
            }
            if (bestI < 0) {
                break;
            }
            absorb(graph, g, bestI, bestJ, bestScale);
            alive[bestJ] = false;
            out2 = outgoingNorms(graph, g);
        }
        return IntStream.range(0, n).filter(i -> alive[i]).toArray();
    }

    /** Adds {@code c} times unit j's input rows to unit i's in every consumer. */
    private static void absorb(DependencyGraph graph, ChannelGroup g, int i, int j, double c) {
        for (Consumer consumer : g.consumers()) {
            INDArray w = graph.view().network().params(consumer.node()).get("W"); // [inputs, outputs], live
            INDArray rowI = w.get(NDArrayIndex.point(consumer.offset() + i), NDArrayIndex.all());
            INDArray rowJ = w.get(NDArrayIndex.point(consumer.offset() + j), NDArrayIndex.all());
            rowI.addi(rowJ.mul(c));
        }
    }

    /** ‖a_j‖² for every unit: the squares of its outgoing weights over every consumer. */
    private static double[] outgoingNorms(DependencyGraph graph, ChannelGroup g) {
        double[] out = new double[g.size()];
        for (Consumer consumer : g.consumers()) {
            Node n = graph.view().node(consumer.node());
            ParamAxes axes = n.rules().axes("W");
            INDArray w = graph.view().network().params(consumer.node()).get("W").castTo(DataType.DOUBLE);
            if (axes == null || ParamAxes.resolve(axes.inAxis(), w.rank()) != 0) {
                throw new IllegalStateException("layer '" + consumer.node() + "' does not keep its inputs on axis 0");
            }
            INDArray rows = w.get(NDArrayIndex.interval(consumer.offset(), consumer.offset() + g.size()), NDArrayIndex.all());
            double[] sums = rows.mul(rows).sum(1).toDoubleVector();
            for (int k = 0; k < out.length; k++) {
                out[k] += sums[k];
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
