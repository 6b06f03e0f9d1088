package dev.topiary.pruner.structured;

import dev.topiary.pruner.graph.ChannelGroup;
import dev.topiary.pruner.graph.DependencyGraph;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Which channels of each group survive, as ascending indices into the current network. Groups not
 * in the plan keep every channel.
 */
public record ChannelPlan(Map<Integer, int[]> kept) {

    public ChannelPlan {
        kept = Map.copyOf(kept);
    }

    /** Surviving channel indices of a group, or null when the group is untouched. */
    public int[] keptOf(int group) {
        return kept.get(group);
    }

    public int sizeOf(ChannelGroup group) {
        int[] k = kept.get(group.id());
        return k == null ? group.size() : k.length;
    }

    public boolean isEmpty() {
        return kept.isEmpty();
    }

    /**
     * Keeps the {@code keep[g]} highest-scoring channels of every group whose count shrinks; ties
     * go to the lower index so a plan is reproducible.
     */
    public static ChannelPlan keepHighest(DependencyGraph graph, double[][] scores, int[] keep) {
        Map<Integer, int[]> kept = new LinkedHashMap<>();
        for (ChannelGroup g : graph.groups()) {
            if (keep[g.id()] >= g.size()) {
                continue;
            }
            if (!g.prunable()) {
                throw new IllegalStateException("group '" + g.name() + "' is fixed: " + g.fixedReason());
            }
            double[] s = scores[g.id()];
            int[] order = IntStream.range(0, g.size()).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i))
                    .mapToInt(Integer::intValue).limit(keep[g.id()]).toArray();
            Arrays.sort(order);
            kept.put(g.id(), order);
        }
        return new ChannelPlan(kept);
    }
}
