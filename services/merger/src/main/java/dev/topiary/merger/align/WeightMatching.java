package dev.topiary.merger.align;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.Consumer;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Weight matching (Git Re-Basin, Ainsworth et al. 2023): permutes the hidden units of a network so
 * its weights line up with a reference network of the same architecture, without data. For each
 * channel group of the dependency graph (so channels tied by a residual add move together, and a
 * BatchNormalization follows its layer), the channels of both networks are described by every
 * weight that touches them (the producers' output slices, the normalisations' entries, the
 * consumers' input rows) and matched by a linear assignment maximising {@code Σ ⟨a_i, b_σ(i)⟩};
 * coordinate descent over the groups repeats until no group's assignment changes (each step can
 * only raise the total). The permuted network computes exactly what it did.
 *
 * <pre>{@code
 * WeightMatching.Result r = WeightMatching.align(reference, other, 42);
 * Network aligned = r.aligned();   // other's units in reference's order
 * }</pre>
 */
public final class WeightMatching {
    private static final int MAX_ROUNDS = 50;

    private WeightMatching() {}

    /**
     * @param orders for each permuted group id, new channel {@code j} is {@code other}'s old channel {@code orders[j]}
     * @param rounds passes over the groups until none changed
     */
    public record Result(Network aligned, Map<Integer, int[]> orders, int rounds) {}

    public static Result align(Network reference, Network other, long seed) {
        DependencyGraph refGraph = DependencyGraph.of(NetworkView.of(reference.model(), "merge"));
        DependencyGraph otherGraph = DependencyGraph.of(NetworkView.of(other.model(), "merge"));
        List<Integer> groups = new ArrayList<>(refGraph.prunableGroups().stream().map(ChannelGroup::id).toList());
        Map<Integer, int[]> orders = new HashMap<>();
        for (int g : groups) {
            ChannelGroup mine = otherGraph.groups().get(g);
            if (mine.size() != refGraph.groups().get(g).size() || !mine.prunable()) {
                throw new IllegalArgumentException("cannot align '" + mine.name() + "': " + mine.size() + " channels against "
                        + refGraph.groups().get(g).size());
            }
            orders.put(g, identity(mine.size()));
        }
        Random random = new Random(seed);
        Network current = other;
        int rounds = 0;
        boolean changed = !groups.isEmpty();
        while (changed && rounds < MAX_ROUNDS) {
            rounds++;
            changed = false;
            Collections.shuffle(groups, random);
            for (int g : groups) {
                DependencyGraph now = DependencyGraph.of(NetworkView.of(current.model(), "merge"));
                int[] sigma = LinearAssignment.maximise(similarity(refGraph, now, g));
                if (!isIdentity(sigma)) {
                    int[] before = orders.get(g);
                    int[] after = new int[sigma.length];
                    for (int i = 0; i < sigma.length; i++) {
                        after[i] = before[sigma[i]];
                    }
                    orders.put(g, after);
                    current = apply(otherGraph, orders);
                    changed = true;
                }
            }
        }
        return new Result(current, Map.copyOf(orders), rounds);
    }

    /** {@code graph}'s network with each group's channels reordered. */
    public static Network apply(DependencyGraph graph, Map<Integer, int[]> orders) {
        Map<Integer, IndexMap> maps = new HashMap<>();
        orders.forEach((g, order) -> maps.put(g, IndexMap.permute(order)));
        return IndexPlan.of(maps).apply(graph);
    }

    /** {@code S[i][j]}: how alike the reference's channel i and the other's channel j are, over every weight touching group g. */
    static double[][] similarity(DependencyGraph ref, DependencyGraph other, int g) {
        ChannelGroup group = ref.groups().get(g);
        INDArray s = Nd4j.zeros(DataType.DOUBLE, group.size(), group.size());
        List<String> owners = new ArrayList<>(group.producers());
        owners.addAll(group.normalizations());
        for (String node : owners) {
            Node n = ref.view().node(node);
            for (String param : ref.view().params(n).keySet()) {
                ParamAxes axes = n.rules().axes(param);
                if (axes != null && axes.hasOut()) {
                    s.addi(rowsOf(ref, node, param, axes.outAxis(), 0, group.size(), 1)
                            .mmul(rowsOf(other, node, param, axes.outAxis(), 0, group.size(), 1).transpose()));
                }
            }
        }
        for (Consumer c : group.consumers()) {
            Node n = ref.view().node(c.node());
            for (String param : ref.view().params(n).keySet()) {
                ParamAxes axes = n.rules().axes(param);
                if (axes != null && axes.hasIn()) {
                    s.addi(rowsOf(ref, c.node(), param, axes.inAxis(), c.offset(), group.size(), c.block())
                            .mmul(rowsOf(other, c.node(), param, axes.inAxis(), c.offset(), group.size(), c.block()).transpose()));
                }
            }
        }
        return s.toDoubleMatrix();
    }

    /** One row per channel: the parameter's slices along {@code axis}, {@code block} consecutive entries per channel from {@code offset}. */
    private static INDArray rowsOf(DependencyGraph graph, String node, String param, int axis, int offset, int channels, int block) {
        INDArray p = graph.view().network().params(node).get(param).castTo(DataType.DOUBLE);
        int a = ParamAxes.resolve(axis, p.rank());
        int[] order = new int[p.rank()];
        order[0] = a;
        for (int i = 0, k = 1; i < p.rank(); i++) {
            if (i != a) {
                order[k++] = i;
            }
        }
        INDArray front = p.permute(order).dup('c');
        INDArray rows = front.reshape('c', front.size(0), -1)
                .get(NDArrayIndex.interval(offset, offset + (long) channels * block), NDArrayIndex.all());
        return rows.dup('c').reshape('c', channels, -1);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static boolean isIdentity(int[] sigma) {
        for (int i = 0; i < sigma.length; i++) {
            if (sigma[i] != i) {
                return false;
            }
        }
        return true;
    }
}
