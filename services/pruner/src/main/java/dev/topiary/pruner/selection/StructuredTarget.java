package dev.topiary.pruner.selection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much structured pruning removes, relative to the original network ({@link Baseline}).
 * {@link #at(double)} scales the amount for the steps of a gradual schedule.
 */
public sealed interface StructuredTarget {

    /** This target with its removed amount scaled by {@code progress} in [0, 1]. */
    StructuredTarget at(double progress);

    /** The removed fraction this target aims at (sparsity, or 1 - keepMacs). */
    double amount();

    /**
     * Remove this fraction of neurons/filters.
     *
     * @param global rank channels of all layers together (normalized scores) rather than taking the
     *     same fraction from each layer
     * @param overrides per-layer fractions, by producer layer name; those layers leave the global pool
     */
    record Sparsity(double sparsity, boolean global, Map<String, Double> overrides) implements StructuredTarget {
        public Sparsity {
            overrides = Map.copyOf(overrides);
        }

        @Override
        public StructuredTarget at(double progress) {
            Map<String, Double> scaled = new LinkedHashMap<>();
            overrides.forEach((k, v) -> scaled.put(k, v * progress));
            return new Sparsity(sparsity * progress, global, scaled);
        }

        @Override
        public double amount() {
            return sparsity;
        }
    }

    /**
     * Remove channels, least important first, until MACs are at most {@code keepMacs} times the original.
     *
     * @param global least important across all layers, whatever a channel costs (cheap layers such
     *     as a CNN's dense head may be emptied first); otherwise the smallest uniform per-layer fraction
     *     that meets the budget, which spreads the cut and is usually kinder to a CNN's accuracy
     */
    record KeepMacs(double keepMacs, boolean global) implements StructuredTarget {
        @Override
        public StructuredTarget at(double progress) {
            return new KeepMacs(1 - (1 - keepMacs) * progress, global);
        }

        @Override
        public double amount() {
            return 1 - keepMacs;
        }
    }
}
