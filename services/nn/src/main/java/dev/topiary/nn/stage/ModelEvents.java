package dev.topiary.nn.stage;

import dev.topiary.events.LayerSummary;
import dev.topiary.events.OperationKind;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.nn.metrics.LayerSummaries;
import dev.topiary.nn.model.ModelFormat;
import dev.topiary.nn.metrics.MacCounter;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.metrics.ParamCounts;
import dev.topiary.nn.metrics.WeightLayers;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/** How a DL4J network is described in events: its format and a summary per layer. */
public final class ModelEvents {
    private ModelEvents() {}

    public static dev.topiary.events.ModelFormat format(Model model) {
        return ModelFormat.of(model) == ModelFormat.COMPUTATION_GRAPH
                ? dev.topiary.events.ModelFormat.DL4J_COMPUTATION_GRAPH
                : dev.topiary.events.ModelFormat.DL4J_MULTI_LAYER_NETWORK;
    }

    /** What can be measured without data: params, nonzero params, MACs per sample and weight-bearing layers. */
    public static Map<String, Double> shapeMetrics(Model model) {
        return Map.of(ModelMetrics.PARAMS, (double) ParamCounts.params(model),
                ModelMetrics.NONZERO_PARAMS, (double) ParamCounts.nonzeroParams(model),
                ModelMetrics.MACS, (double) MacCounter.macs(model),
                ModelMetrics.LAYERS, (double) WeightLayers.count(model));
    }

    /** A root version of {@code model} (published or new), described by what needs no data. */
    public static VersionPublisher.RootVersion root(Model model, byte[] artifact, OperationKind kind,
                                                   Map<String, String> labels) {
        return new VersionPublisher.RootVersion(artifact, format(model), kind, "", shapeMetrics(model), null,
                architecture(model), labels);
    }

    public static List<LayerSummary> architecture(Model model) {
        return LayerSummaries.of(model).stream()
                .map(l -> new LayerSummary(l.name(), l.type(), l.shape(), l.params(), l.nonzeros()))
                .toList();
    }
}
