package dev.topiary.merger.neurons;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.Consumer;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.layers.DenseLayer;

/**
 * Data-free merging of near-duplicate neurons (Srinivas and Babu 2015): in a hidden Dense layer,
 * when unit j's incoming weights (with its bias) are close to {@code c} times unit i's, unit j's
 * output is about {@code c} times unit i's, so j is removed and its outgoing weights, times
 * {@code c}, are added to i's. For a ReLU or linear layer {@code c} is the best positive scale
 * (ReLU is positively homogeneous: a unit whose incoming weights are {@code c·w} outputs {@code c}
 * times the unit with {@code w}, so a proportional pair merges exactly); for any other activation
 * it is 1. One refinement over the paper, still data-free: the survivor's incoming weights become
 * the pair's outgoing-weighted mean ({@link PairMerge}) instead of staying i's.
 *
 * <p>Pairs are merged cheapest first ({@link PairMerge#cost}), in each layer up to {@code fraction}
 * of its units or while the closest remaining pair's cosine similarity is at least
 * {@code similarity}. Every layer gives the same share: pooling the pairs of all layers by their
 * cost (raw, or as a share of each layer's output energy) merged far worse on the 784-300-100-10
 * MLP, since the costs of layers with inputs of different scales do not compare without data.
 * The network is rebuilt physically smaller through an index map, so consumers and the rest of
 * the network follow.
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
        List<ChannelGroup> groups = graph.prunableGroups().stream()
                .filter(g -> qualifies(graph, g) && (only.isEmpty() || only.contains(g.name()))).toList();
        List<HiddenLayer> layers = new ArrayList<>();
        for (ChannelGroup g : groups) {
            layers.add(new HiddenLayer(graph, g));
        }
        for (HiddenLayer layer : layers) {
            mergeCheapest(layer, (int) Math.floor(fraction * layer.size()), similarity);
        }
        Map<Integer, IndexMap> maps = new HashMap<>();
        Map<String, Integer> merged = new TreeMap<>();
        for (HiddenLayer layer : layers) {
            int[] kept = layer.kept();
            if (kept.length < layer.size()) {
                maps.put(layer.group().id(), IndexMap.keep(layer.size(), kept));
                merged.put(layer.group().name(), layer.size() - kept.length);
            }
        }
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("neurons: nothing to merge (no hidden Dense layer"
                    + (similarity > 0 ? " has a pair of units with cosine similarity >= " + similarity : " qualifies") + ")");
        }
        return new Result(IndexPlan.of(maps).apply(graph), merged);
    }

    /**
     * Merges up to {@code count} pairs of the layer, cheapest first, keeping at least one unit. The
     * candidates are read afresh after every merge, since a merge changes the survivor's incoming
     * and outgoing weights.
     */
    private static void mergeCheapest(HiddenLayer layer, int count, double similarity) {
        for (int step = 0; step < count && layer.aliveCount() > 1; step++) {
            PairMerge pair = layer.cheapestPair(similarity);
            if (pair == null) {
                return;
            }
            layer.apply(pair);
        }
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
