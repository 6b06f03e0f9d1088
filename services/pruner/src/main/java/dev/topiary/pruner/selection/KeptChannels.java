package dev.topiary.pruner.selection;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.index.IndexMap;
import dev.topiary.surgery.index.IndexPlan;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** Which channels survive once the widths are chosen: the most important, as keep maps for surgery. */
public final class KeptChannels {
    private KeptChannels() {
    }

    /**
     * Keeps the {@code keep[g]} highest-scoring channels of every group whose count shrinks; ties go
     * to the lower index so a plan is reproducible. Groups keeping every channel are not in the plan.
     */
    public static IndexPlan highest(DependencyGraph graph, double[][] scores, int[] keep) {
        Map<Integer, IndexMap> maps = new LinkedHashMap<>();
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
            maps.put(g.id(), IndexMap.keep(g.size(), order));
        }
        return IndexPlan.of(maps);
    }
}
