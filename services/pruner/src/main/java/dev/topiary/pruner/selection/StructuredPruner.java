package dev.topiary.pruner.selection;

import dev.topiary.nn.data.Sample;
import dev.topiary.pruner.importance.Importance;
import dev.topiary.surgery.graph.DependencyGraph;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.index.IndexPlan;
import dev.topiary.surgery.macs.MacCounter;
import org.deeplearning4j.nn.api.Model;

/**
 * One structured pruning step: build the dependency graph, score channels, choose widths for the
 * target, keep the most important channels of each group (surgery's keep maps rebuild the smaller
 * network). Schedules call {@link #prune} repeatedly with growing
 * targets, all measured against the {@link Baseline} of the original network.
 *
 * <pre>{@code
 * StructuredPruner pruner = new StructuredPruner(importance, MinimumWidth.ONE, sample, input);
 * Baseline before = pruner.baseline(model);
 * Model smaller = pruner.prune(model, new StructuredTarget.KeepMacs(0.25, true), before);
 * }</pre>
 */
public final class StructuredPruner {
    private final Importance importance;
    private final MinimumWidth minimum;
    private final Sample sample;
    private final InputShape input;
    private final int roundTo;

    /** As below, with any channel count allowed ({@code roundTo} 1). */
    public StructuredPruner(Importance importance, MinimumWidth minimum, Sample sample, InputShape input) {
        this(importance, minimum, sample, input, 1);
    }

    /**
     * @param sample data for data-driven importance, may be null for magnitude
     * @param input what one example looks like (an image model's size resolved against its data), for
     *     the convolutions' output sizes in MACs; null for what the model's configuration records
     * @param roundTo channel multiple every pruned layer keeps ({@link ChannelSelector})
     */
    public StructuredPruner(Importance importance, MinimumWidth minimum, Sample sample, InputShape input, int roundTo) {
        this.importance = importance;
        this.minimum = minimum;
        this.sample = sample;
        this.input = input;
        this.roundTo = roundTo;
    }

    public Baseline baseline(Model model) {
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(model, "prune"));
        return Baseline.of(graph, macModel(graph));
    }

    /** MACs per example of {@code model} as the pruner counts them. */
    public long macs(Model model) {
        return macModel(DependencyGraph.of(NetworkView.of(model, "prune"))).macs();
    }

    /** A new, smaller network meeting {@code target}; {@code model} itself is not changed. */
    public Model prune(Model model, StructuredTarget target, Baseline baseline) {
        DependencyGraph graph = DependencyGraph.of(NetworkView.of(model, "prune"));
        double[][] scores = importance.score(graph, sample);
        MacCounter macs = target instanceof StructuredTarget.KeepMacs ? macModel(graph) : null;
        int[] widths = new ChannelSelector(graph, scores, baseline, minimum, roundTo).widths(target, macs);
        IndexPlan plan = KeptChannels.highest(graph, scores, widths);
        return plan.isEmpty() ? model : plan.apply(graph).model();
    }

    private MacCounter macModel(DependencyGraph graph) {
        InputShape shape = input != null ? input : Network.of(graph.view().model()).input();
        return MacCounter.of(graph, shape.inputType());
    }
}
