package dev.topiary.pruner.importance;

import dev.topiary.nn.data.Sample;
import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import java.util.List;

/**
 * The part every criterion shares: a criterion scores each member of a group (a producer's
 * weights, a tensor's activations...), then the member scores are reduced to one score per channel
 * and normalized so different groups rank against each other.
 */
public abstract class GroupImportance implements Importance {
    private final Reduction reduction;
    private final Normalizer normalizer;

    protected GroupImportance(Reduction reduction, Normalizer normalizer) {
        this.reduction = reduction;
        this.normalizer = normalizer;
    }

    @Override
    public final double[][] score(DependencyGraph graph, Sample sample) {
        List<List<double[]>> members = memberScores(graph, sample);
        double[][] out = new double[graph.groups().size()][];
        for (ChannelGroup g : graph.prunableGroups()) {
            out[g.id()] = normalizer.apply(reduction.apply(members.get(g.id()), g.size()));
        }
        return out;
    }

    /** For each group id, one score array per member (each of the group's size); fixed groups may be empty. */
    protected abstract List<List<double[]>> memberScores(DependencyGraph graph, Sample sample);

    protected static List<List<double[]>> emptyLists(DependencyGraph graph) {
        List<List<double[]>> l = new java.util.ArrayList<>();
        graph.groups().forEach(g -> l.add(new java.util.ArrayList<>()));
        return l;
    }
}
