package dev.topiary.pruner.selection;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.macs.MacCounter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network before any pruning: group widths by group name and total MACs. Targets are always
 * relative to it, so a gradual schedule that prunes an already pruned network still aims at the
 * fraction of the original the user asked for. Group names are layer names, which a rebuild keeps.
 */
public record Baseline(Map<String, Integer> widths, long macs) {

    public Baseline {
        widths = Map.copyOf(widths);
    }

    public static Baseline of(DependencyGraph graph, MacCounter macs) {
        Map<String, Integer> w = new LinkedHashMap<>();
        for (ChannelGroup g : graph.groups()) {
            w.put(g.name(), g.size());
        }
        return new Baseline(w, macs.macs());
    }

    public int widthOf(ChannelGroup g) {
        Integer w = widths.get(g.name());
        if (w == null) {
            throw new IllegalStateException("layer '" + g.name() + "' was not in the original network");
        }
        return w;
    }
}
