package dev.topiary.pruner.structured;

import dev.topiary.pruner.graph.ActivationProbe;
import dev.topiary.pruner.graph.DependencyGraph;
import dev.topiary.pruner.graph.NetworkView;
import dev.topiary.pruner.importance.Importance;
import dev.topiary.pruner.importance.Sample;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import dev.topiary.nn.model.ModelShapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One structured pruning step: build the dependency graph, score channels, choose widths for the
 * target, rebuild the smaller network. Schedules call {@link #prune} repeatedly with growing
 * targets, all measured against the {@link Baseline} of the original network.
 *
 * <pre>{@code
 * StructuredPruner pruner = new StructuredPruner(importance, MinimumWidth.ONE, sample, example);
 * Baseline before = pruner.baseline(model);
 * Model smaller = pruner.prune(model, new StructuredTarget.KeepMacs(0.25, true), before);
 * }</pre>
 */
public final class StructuredPruner {
    private final Importance importance;
    private final MinimumWidth minimum;
    private final Sample sample;
    private final INDArray example;
    private final int roundTo;

    /** As below, with any channel count allowed ({@code roundTo} 1). */
    public StructuredPruner(Importance importance, MinimumWidth minimum, Sample sample, INDArray example) {
        this(importance, minimum, sample, example, 1);
    }

    /**
     * @param sample data for data-driven importance, may be null for magnitude
     * @param example one input row shaped for the model, used to find convolution output sizes for
     *     MACs; when null, a zero row of the size the model's input type records is used
     * @param roundTo channel multiple every pruned layer keeps ({@link ChannelSelector})
     */
    public StructuredPruner(Importance importance, MinimumWidth minimum, Sample sample, INDArray example, int roundTo) {
        this.importance = importance;
        this.minimum = minimum;
        this.sample = sample;
        this.example = example;
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
        MacModel macs = target instanceof StructuredTarget.KeepMacs ? macModel(graph) : null;
        int[] widths = new ChannelSelector(graph, scores, baseline, minimum, roundTo).widths(target, macs);
        ChannelPlan plan = ChannelPlan.keepHighest(graph, scores, widths);
        return plan.isEmpty() ? model : NetworkRebuilder.rebuild(graph, plan);
    }

    private MacModel macModel(DependencyGraph graph) {
        boolean convolutional = graph.view().nodes().stream()
                .anyMatch(n -> n.kind() == dev.topiary.pruner.graph.NodeKind.CONVOLUTION);
        Map<String, long[]> shapes = convolutional ? ActivationProbe.shapes(graph.view(), exampleFor(graph)) : null;
        return MacModel.of(graph, shapes);
    }

    private INDArray exampleFor(DependencyGraph graph) {
        if (example != null) {
            return example;
        }
        long features = ModelShapes.inputSize(graph.view().model());
        return Nd4j.zeros(graph.view().model().params().dataType(), 1, features);
    }
}
