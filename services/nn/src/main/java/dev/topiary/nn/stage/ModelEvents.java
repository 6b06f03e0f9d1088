package dev.topiary.nn.stage;

import dev.topiary.events.LayerSummary;
import dev.topiary.events.OperationKind;
import dev.topiary.nn.metrics.LayerSummaries;
import dev.topiary.nn.metrics.ModelMetrics;
import dev.topiary.nn.metrics.ParamCounts;
import dev.topiary.nn.metrics.WeightLayers;
import dev.topiary.nn.model.ModelFormat;
import dev.topiary.runtime.client.VersionPublisher;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import java.util.LinkedHashMap;
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

    /**
     * What can be measured without data: params, nonzero params, weight-bearing layers and MACs per
     * sample. MACs are left out for an image model that does not record its height and width (they
     * depend on them); the first stage that reads data measures them.
     */
    public static Map<String, Double> shapeMetrics(Model model) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ModelMetrics.PARAMS, (double) ParamCounts.params(model));
        m.put(ModelMetrics.NONZERO_PARAMS, (double) ParamCounts.nonzeroParams(model));
        if (Network.of(model).input().complete()) {
            m.put(ModelMetrics.MACS, (double) ModelMetrics.macs(model));
        }
        m.put(ModelMetrics.LAYERS, (double) WeightLayers.count(model));
        return Map.copyOf(m);
    }

    /** A root version of {@code model} (published or new), described by what needs no data. */
    public static VersionPublisher.RootVersion root(Model model, byte[] artifact, OperationKind kind,
                                                   Map<String, String> labels) {
        return new VersionPublisher.RootVersion(artifact, format(model), kind, "", shapeMetrics(model), null,
                architecture(model), labels);
    }

    public static List<LayerSummary> architecture(Model model) {
        return architecture(model, Network.of(model).input());
    }

    /** The layer table for examples of {@code input} (an image model's size resolved against its data). */
    public static List<LayerSummary> architecture(Model model, InputShape input) {
        return LayerSummaries.of(model, input).stream()
                .map(l -> new LayerSummary(l.name(), l.type(), l.shape(), l.params(), l.nonzeros()))
                .toList();
    }
}
