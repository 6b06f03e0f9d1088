package dev.topiary.merger.neurons;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.Consumer;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.layers.DenseLayer;

/**
 * Merging of hidden units (Srinivas and Babu 2015): in each hidden Dense layer, units are removed
 * and the units that stay take over what the removed ones sent to the layer's readers, so the
 * network is physically smaller but computes nearly the same function without any training. Two
 * {@link Compensation}s:
 * <ul>
 *   <li>{@link Compensation.LeastSquares} (the default of the merge stage): each removed unit's
 *       outputs are re-expressed on all the units kept, by least squares over the layer's outputs
 *       for sample network inputs ({@link LeastSquaresLayer}). Data-free with Gaussian inputs: on
 *       the 784-300-100-10 MLP, 30% of the units merged this way lose about a third of what the
 *       pair rule loses (2.3 against 6.4 points), because no unit there is close to {@code c} times
 *       another (the pair rule's merged pairs have incoming cosines 0.08 to 0.32), while most are
 *       close to a mix of several.
 *       Layers go in order, each measured on the outputs of the layers already merged.</li>
 *   <li>{@link Compensation.Pairs}: the paper's rule. When unit j's incoming weights (with its
 *       bias) are close to {@code c} times unit i's, j's output is about {@code c} times i's, so j
 *       is removed and its outgoing weights, times {@code c}, are added to i's; {@code c} is the
 *       best positive scale for a ReLU or linear layer (positively homogeneous), 1 otherwise. The
 *       survivor's incoming weights become the pair's outgoing-weighted mean ({@link PairMerge}).
 *       Pairs go cheapest first ({@link PairMerge#cost}), up to {@code fraction} of each layer's
 *       units or while the closest pair's cosine similarity is at least {@code similarity}.</li>
 * </ul>
 * Each layer gives its own share, the same for all unless given by layer, never a share chosen
 * across layers: pooling the pairs of all layers by their cost (raw, or as a
 * share of each layer's output energy) merged far worse on the 784-300-100-10 MLP, since the
 * costs of layers with inputs of different scales do not compare without data. The network is
 * rebuilt physically smaller through an index map, so consumers and the rest of the network follow.
 */
public final class NeuronMerging {
    private NeuronMerging() {}

    /** How many units each merged layer lost. */
    public record Result(Network network, Map<String, Integer> merged) {}

    /**
     * @param fractions the most units of each layer to merge away, each in [0, 1): of every hidden
     *     Dense layer that qualifies, or of the layers named
     * @param compensation how the units kept carry the removed ones' outputs
     */
    public static Result merge(Network net, Fractions fractions, Compensation compensation) {
        Network work = net.copy();
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(work.model(), "merge"));
        for (String name : fractions.byLayer().keySet()) {
            if (graph.prunableGroups().stream().noneMatch(g -> g.name().equals(name) && qualifies(graph, g))) {
                throw new IllegalArgumentException("neurons: '" + name + "' is not a hidden Dense layer whose units only "
                        + "Dense or Output layers read" + (graph.view().has(name) ? "" : " (no layer has that name)")
                        + "; these are: " + graph.prunableGroups().stream().filter(g -> qualifies(graph, g))
                        .map(ChannelGroup::name).toList());
            }
        }
        List<ChannelGroup> groups = graph.prunableGroups().stream()
                .filter(g -> qualifies(graph, g) && fractions.of(g.name()) > 0).toList();
        Map<Integer, IndexMap> maps = new HashMap<>();
        Map<String, Integer> merged = new TreeMap<>();
        for (ChannelGroup g : groups) {
            int count = (int) Math.floor(fractions.of(g.name()) * g.size());
            int[] kept = compensation instanceof Compensation.LeastSquares ls
                    ? LeastSquaresLayer.merge(work, g, ls.inputs(), count)
                    : mergeCheapestPairs(new PairLayer(graph, g), count, ((Compensation.Pairs) compensation).similarity());
            if (kept.length < g.size()) {
                maps.put(g.id(), IndexMap.keep(g.size(), kept));
                merged.put(g.name(), g.size() - kept.length);
            }
        }
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("neurons: nothing to merge (" + (groups.isEmpty()
                    ? "no hidden Dense layer qualifies"
                    : compensation instanceof Compensation.Pairs pairs && pairs.similarity() > 0
                    ? "no hidden Dense layer has a pair of units with cosine similarity >= " + pairs.similarity()
                    : "a fraction of " + fractions + " is less than one unit of every layer") + ")");
        }
        return new Result(IndexPlan.of(maps).apply(graph), merged);
    }

    /**
     * Merges up to {@code count} pairs of the layer, cheapest first, keeping at least one unit, and
     * returns the units kept. The candidates are read afresh after every merge, since a merge
     * changes the survivor's incoming and outgoing weights.
     */
    private static int[] mergeCheapestPairs(PairLayer layer, int count, double similarity) {
        for (int step = 0; step < count && layer.aliveCount() > 1; step++) {
            PairMerge pair = layer.cheapestPair(similarity);
            if (pair == null) {
                break;
            }
            layer.apply(pair);
        }
        return layer.kept();
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
}
