package dev.topiary.grower.wider;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.DenseLayer;

/**
 * Net2WiderNet (Chen, Goodfellow and Shlens, 2016): a layer's new units copy randomly chosen
 * existing ones, and every consumer divides the incoming weights of a copied unit by its number of
 * copies, so the network computes what it did. The work is surgery's: the {@link DependencyGraph}
 * says which layers share the channels (a residual add ties both sides, a BatchNormalization
 * follows its producer, a flattening maps a filter to its {@code H*W} rows) and
 * {@link IndexMap#widen} with an {@link IndexPlan} rebuilds the network. This class decides which
 * groups grow, to what width, and which units the copies repeat (seeded, uniformly, with
 * repetition as in the paper). With {@link Init#FRESH} the new units are not copies but silent:
 * consumers read them with weight 0 ({@link IndexMap#extend}) and their incoming weights are drawn
 * anew ({@link NewUnitWeights#drawFresh}), so they start exact and already different from every
 * other unit (the zero-outgoing start of growing methods such as GradMax, Evci et al. 2022, here
 * with random incoming weights).
 *
 * <pre>{@code
 * Widening.Result r = Widening.byName(model, Map.of("dense1", 600), Widening.Init.COPY, 42);
 * Widening.Result all = Widening.byFactor(model, 2.0, Widening.Init.FRESH, 42);
 * }</pre>
 */
public final class Widening {
    static final String OPERATION = "grow";

    private Widening() {
    }

    /** How the new units start; both keep the function. */
    public enum Init {
        /** Net2WiderNet: copies of existing units, their outgoing weights shared among the copies. */
        COPY,
        /** Incoming weights of their own, outgoing weights 0. */
        FRESH
    }

    /**
     * @param network the wider network (fresh updater, same layer names)
     * @param copies for each widened group (by its name), the old units the new ones copy (with
     *        {@link Init#FRESH}, whose biases and batch-norm parameters they start from)
     */
    public record Result(Network network, Map<String, int[]> copies) {
        public int unitsAdded() {
            return copies.values().stream().mapToInt(c -> c.length).sum();
        }
    }

    /** Widens the group of each named layer to the width given; a layer tied to another by a residual add widens with it. */
    public static Result byName(Model model, Map<String, Integer> widths, Init init, long seed) {
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(model, OPERATION));
        Map<ChannelGroup, Integer> targets = new LinkedHashMap<>();
        widths.forEach((layer, width) -> {
            if (!graph.view().has(layer)) {
                throw new IllegalArgumentException("grow: no layer named '" + layer + "' (layers: " + layerNames(graph) + ")");
            }
            ChannelGroup g = graph.groupOf(layer);
            if (!g.prunable()) {
                throw new IllegalArgumentException("grow: the units of '" + layer + "' cannot change: " + g.fixedReason());
            }
            if (width < g.size()) {
                throw new IllegalArgumentException("grow: layer '" + layer + "' has " + g.size()
                        + " units; wider cannot make it " + width);
            }
            Integer other = targets.put(g, width);
            if (other != null && !other.equals(width)) {
                throw new IllegalArgumentException("grow: layers " + g.producers() + " share their units (a residual add "
                        + "ties them) and must have one width, not " + other + " and " + width);
            }
        });
        return widen(graph, targets, init, seed);
    }

    /** Widens every hidden group (all but the input and the classes) to {@code round(size * factor)}. */
    public static Result byFactor(Model model, double factor, Init init, long seed) {
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(model, OPERATION));
        Map<ChannelGroup, Integer> targets = new LinkedHashMap<>();
        for (ChannelGroup g : graph.prunableGroups()) {
            targets.put(g, (int) Math.round(g.size() * factor));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("grow: the network has no hidden layer to widen");
        }
        return widen(graph, targets, init, seed);
    }

    private static Result widen(DependencyGraph graph, Map<ChannelGroup, Integer> targets, Init init, long seed) {
        Random random = new Random(seed);
        Map<Integer, IndexMap> maps = new LinkedHashMap<>();
        Map<String, int[]> copies = new LinkedHashMap<>();
        for (Map.Entry<ChannelGroup, Integer> t : targets.entrySet()) {
            ChannelGroup g = t.getKey();
            refuseLayerNorm(graph, g);
            int[] extra = new int[t.getValue() - g.size()];
            for (int i = 0; i < extra.length; i++) {
                extra[i] = random.nextInt(g.size());
            }
            if (extra.length > 0) {
                maps.put(g.id(), init == Init.COPY ? IndexMap.widen(g.size(), extra) : IndexMap.extend(g.size(), extra));
                copies.put(g.name(), extra);
            }
        }
        Network wider = maps.isEmpty() ? graph.view().network().copy() : IndexPlan.of(maps).apply(graph);
        if (init == Init.FRESH) {
            NewUnitWeights.drawFresh(wider, copies, seed);
        }
        return new Result(wider, copies);
    }

    /** Layer norm normalises over a layer's units; new units would change its statistics, so the result would not be exact. */
    private static void refuseLayerNorm(DependencyGraph graph, ChannelGroup g) {
        for (String p : g.producers()) {
            if (graph.view().node(p).config() instanceof DenseLayer d && d.hasLayerNorm()) {
                throw new IllegalArgumentException("grow: layer '" + p + "' has layer norm, whose statistics over the "
                        + "layer's units new units would change (wider is exact only without it)");
            }
        }
    }

    private static List<String> layerNames(DependencyGraph graph) {
        return graph.view().nodes().stream().filter(n -> !n.isInput()).map(n -> n.name()).toList();
    }
}
