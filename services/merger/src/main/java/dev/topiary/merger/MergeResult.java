package dev.topiary.merger;

import dev.topiary.surgery.graph.Network;
import java.util.Map;
import java.util.Set;

/**
 * A merged network and what the merge measured, by unqualified name (published as
 * {@code merge.<name>}).
 */
public record MergeResult(Network network, Map<String, Double> stats) {
    /** Members whose parameters are in the result (all of them, or those greedy soup kept). */
    public static final String INGREDIENTS = "ingredients";
    /** Layers folded into or fused with the layer before them. */
    public static final String REMOVED_LAYERS = "removedLayers";
    /** Holdout accuracy of the result, on which every choice was made. */
    public static final String HOLDOUT_ACCURACY = "holdoutAccuracy";
    /** The task-vector scale chosen on the holdout. */
    public static final String LAMBDA = "lambda";
    /** Coordinate-descent passes weight matching took. */
    public static final String ALIGN_ROUNDS = "alignRounds";

    /** Hidden units merged into others (neurons). */
    public static final String MERGED_UNITS = "mergedUnits";
    /** Residual blocks collapsed into the one before them (layers). */
    public static final String COLLAPSED_BLOCKS = "collapsedBlocks";
    /** Hidden layers whose statistics REPAIR corrected. */
    public static final String REPAIRED_LAYERS = "repairedLayers";

    public static final Set<String> STATS = Set.of(INGREDIENTS, REMOVED_LAYERS, HOLDOUT_ACCURACY, LAMBDA, ALIGN_ROUNDS,
            REPAIRED_LAYERS, MERGED_UNITS, COLLAPSED_BLOCKS);

    public MergeResult {
        stats = Map.copyOf(stats);
    }
}
