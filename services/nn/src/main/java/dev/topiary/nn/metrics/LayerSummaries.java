package dev.topiary.nn.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/**
 * The per-layer table that events carry as {@code architecture}: name, type, a readable shape,
 * parameters and non-zeros, so a reader of the event stream sees what a stage changed (a layer
 * narrower, a layer gone, weights zeroed) without loading the model. For a ComputationGraph the
 * non-layer vertices (element-wise adds, merges) are listed too, in forward order, because a
 * residual block is part of the architecture even though it has no weights.
 */
public final class LayerSummaries {

    private LayerSummaries() {}

    public static List<LayerInfo> of(Model model) {
        List<LayerInfo> out = new ArrayList<>();
        for (ShapedLayer layer : ShapedLayer.of(model)) {
            out.add(new LayerInfo(layer.name(), type(layer.config()), shape(layer),
                    layer.params() == null ? 0 : layer.params().length(), ParamCounts.nonzeros(layer.params())));
        }
        return out;
    }

    private static String type(Object config) {
        if (config instanceof ElementWiseVertex) {
            return "ElementWiseVertex";
        }
        return config.getClass().getSimpleName();
    }

    static String shape(ShapedLayer layer) {
        Object config = layer.config();
        if (config instanceof ConvolutionLayer conv) {
            int[] k = conv.getKernelSize();
            return k[0] + "x" + k[1] + "x" + conv.getNIn() + "->" + conv.getNOut();
        }
        if (config instanceof BatchNormalization bn) {
            return bn.getNOut() + "->" + bn.getNOut();
        }
        if (config instanceof FeedForwardLayer ff && layer.params() != null) {
            return ff.getNIn() + "->" + ff.getNOut();
        }
        String in = layer.inputs().stream().map(LayerSummaries::describe).collect(Collectors.joining("+"));
        String shape = in + "->" + describe(layer.output());
        if (config instanceof ElementWiseVertex vertex) {
            return vertex.getOp().name().toLowerCase() + " " + shape;
        }
        return shape;
    }

    private static String describe(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return c.getHeight() + "x" + c.getWidth() + "x" + c.getChannels();
        }
        if (type instanceof InputType.InputTypeConvolutionalFlat c) {
            return c.getHeight() + "x" + c.getWidth() + "x" + c.getDepth();
        }
        if (type instanceof InputType.InputTypeFeedForward f) {
            return Long.toString(f.getSize());
        }
        if (type instanceof InputType.InputTypeRecurrent r) {
            return r.getSize() + "x" + r.getTimeSeriesLength();
        }
        return String.valueOf(type);
    }
}
