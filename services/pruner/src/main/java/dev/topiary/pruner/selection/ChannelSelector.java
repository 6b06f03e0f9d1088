package dev.topiary.pruner.selection;

import dev.topiary.surgery.graph.ChannelGroup;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.macs.MacCounter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns a target into a width per group: how many channels each group keeps. Which channels is
 * then the importance order ({@link KeptChannels#highest}). Widths never grow, never drop below
 * the {@link MinimumWidth}, and fixed groups keep theirs. With {@code roundTo > 1} every pruned
 * group keeps a multiple of it (as Torch-Pruning's {@code round_to}): native kernels work in blocks
 * of channels, and odd widths can be slower than wider ones (oneDNN ran LeNet-5's conv1 with 2 or
 * 3 filters slower than with 4).
 */
public final class ChannelSelector {
    private final DependencyGraph graph;
    private final double[][] scores;
    private final Baseline baseline;
    private final MinimumWidth minimum;
    private final int roundTo;

    public ChannelSelector(DependencyGraph graph, double[][] scores, Baseline baseline, MinimumWidth minimum) {
        this(graph, scores, baseline, minimum, 1);
    }

    /** @param roundTo channel multiple every pruned group keeps (1: any width) */
    public ChannelSelector(DependencyGraph graph, double[][] scores, Baseline baseline, MinimumWidth minimum,
            int roundTo) {
        if (roundTo < 1) {
            throw new IllegalArgumentException("roundTo must be at least 1, got " + roundTo);
        }
        this.graph = graph;
        this.scores = scores;
        this.baseline = baseline;
        this.minimum = minimum;
        this.roundTo = roundTo;
    }

    /** Widths meeting {@code target}; {@code macs} is needed for a MACs target only. */
    public int[] widths(StructuredTarget target, MacCounter macs) {
        if (target instanceof StructuredTarget.Sparsity s) {
            return bySparsity(s);
        }
        StructuredTarget.KeepMacs k = (StructuredTarget.KeepMacs) target;
        long budget = (long) Math.floor(k.keepMacs() * baseline.macs());
        return k.global() ? globalUntilMacs(macs, budget) : uniformUntilMacs(macs, budget);
    }

    private int[] bySparsity(StructuredTarget.Sparsity s) {
        checkOverrides(s.overrides());
        int[] widths = current();
        List<ChannelGroup> pool = new ArrayList<>();
        for (ChannelGroup g : graph.prunableGroups()) {
            Double own = override(s.overrides(), g);
            if (own != null || !s.global()) {
                widths[g.id()] = layerWidth(g, own != null ? own : s.sparsity());
            } else {
                pool.add(g);
            }
        }
        if (!pool.isEmpty()) {
            int original = pool.stream().mapToInt(baseline::widthOf).sum();
            int now = pool.stream().mapToInt(ChannelGroup::size).sum();
            int remove = (int) Math.round(s.sparsity() * original) - (original - now);
            removeLowest(widths, pool, remove, null, 0);
            roundAll(widths, pool, false);
        }
        return widths;
    }

    /** An override naming no prunable layer would silently do nothing; refuse it instead. */
    private void checkOverrides(Map<String, Double> overrides) {
        List<String> prunable = graph.prunableGroups().stream().flatMap(g -> g.producers().stream()).toList();
        for (String layer : overrides.keySet()) {
            if (!prunable.contains(layer)) {
                throw new IllegalArgumentException("parameter 'layers': no layer named '" + layer
                        + "' whose neurons or filters can be pruned (prunable: " + prunable + ")");
            }
        }
    }

    private Double override(Map<String, Double> overrides, ChannelGroup g) {
        for (Map.Entry<String, Double> e : overrides.entrySet()) {
            if (g.producers().contains(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Width of one group pruned by {@code sparsity} of its original width. */
    private int layerWidth(ChannelGroup g, double sparsity) {
        int original = baseline.widthOf(g);
        int keep = original - (int) Math.round(sparsity * original);
        return rounded(g, Math.min(g.size(), Math.max(minimum.of(original), keep)), false);
    }

    private void roundAll(int[] widths, List<ChannelGroup> groups, boolean down) {
        for (ChannelGroup g : groups) {
            widths[g.id()] = rounded(g, widths[g.id()], down);
        }
    }

    /**
     * {@code width} as a multiple of {@code roundTo}, to the nearest or down (down keeps a MAC
     * budget met), at least the minimum rounded up to a multiple, at most the group's current
     * width. A group left at its current width is not pruned and keeps it, multiple or not.
     */
    private int rounded(ChannelGroup g, int width, boolean down) {
        if (roundTo == 1 || width >= g.size()) {
            return width;
        }
        int multiples = down ? width / roundTo : (int) Math.round((double) width / roundTo);
        int lowest = roundTo * (int) Math.ceil((double) Math.max(minimum.of(baseline.widthOf(g)), 1) / roundTo);
        return Math.min(g.size(), Math.max(lowest, multiples * roundTo));
    }

    private int[] globalUntilMacs(MacCounter macs, long budget) {
        int[] widths = current();
        removeLowest(widths, graph.prunableGroups(), Integer.MAX_VALUE, macs, budget);
        roundAll(widths, graph.prunableGroups(), true);
        return widths;
    }

    /** The smallest uniform per-layer fraction that meets the budget; MACs only fall as it grows. */
    private int[] uniformUntilMacs(MacCounter macs, long budget) {
        double lo = 0;
        double hi = 1;
        int[] best = uniform(1);
        if (macs.macs(uniform(0)) <= budget) {
            return uniform(0);
        }
        for (int i = 0; i < 40; i++) {
            double mid = (lo + hi) / 2;
            int[] w = uniform(mid);
            if (macs.macs(w) <= budget) {
                hi = mid;
                best = w;
            } else {
                lo = mid;
            }
        }
        return best;
    }

    private int[] uniform(double sparsity) {
        int[] widths = current();
        for (ChannelGroup g : graph.prunableGroups()) {
            widths[g.id()] = layerWidth(g, sparsity);
        }
        return widths;
    }

    /**
     * Removes the lowest-scoring channels of {@code pool} one at a time, skipping groups at their
     * minimum, until {@code count} are gone or, with a MAC model, the budget is met.
     */
    private void removeLowest(int[] widths, List<ChannelGroup> pool, int count, MacCounter macs, long budget) {
        record Candidate(int group, int channel, double score) {
        }
        List<Candidate> all = new ArrayList<>();
        for (ChannelGroup g : pool) {
            for (int i = 0; i < g.size(); i++) {
                all.add(new Candidate(g.id(), i, scores[g.id()][i]));
            }
        }
        all.sort(Comparator.comparingDouble(Candidate::score).thenComparingInt(Candidate::group)
                .thenComparingInt(Candidate::channel));
        int removed = 0;
        for (Candidate c : all) {
            if (removed >= count || (macs != null && macs.macs(widths) <= budget)) {
                return;
            }
            ChannelGroup g = graph.groups().get(c.group());
            if (widths[c.group()] > minimum.of(baseline.widthOf(g))) {
                widths[c.group()]--;
                removed++;
            }
        }
    }

    private int[] current() {
        return graph.groups().stream().mapToInt(ChannelGroup::size).toArray();
    }
}
