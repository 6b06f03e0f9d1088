package dev.topiary.pruner.importance;

import dev.topiary.nn.data.Sample;
import dev.topiary.surgery.graph.DependencyGraph;

/**
 * How important each channel of each group is: the criterion half of pruning, kept apart from
 * which groups exist ({@link DependencyGraph}) and how many channels go (the pruners).
 *
 * <pre>{@code
 * NetworkView view = NetworkView.of(model, "prune");
 * DependencyGraph graph = DependencyGraph.of(view);
 * Importance imp = new MagnitudeImportance(1, true, Reduction.SUM, Normalizer.MEAN);   // L1
 * double[][] scores = imp.score(graph, null);     // scores[group.id()][channel], null if fixed
 * }</pre>
 */
public interface Importance {

    /**
     * Scores for every prunable group's channels (higher = keep), indexed by group id and channel;
     * entries for fixed groups are null. Scores are normalized per group so they rank across groups.
     *
     * @param sample data for data-driven criteria; magnitude criteria accept null
     */
    double[][] score(DependencyGraph graph, Sample sample);

    /** Whether {@link #score} needs a sample (and labels, for gradients). */
    default boolean needsData() {
        return false;
    }
}
