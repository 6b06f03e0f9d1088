package dev.topiary.nn.metrics;

import dev.topiary.nn.model.ModelFormat;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.NodeShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The per-layer table that events carry as {@code architecture}: name, type, a readable shape,
 * parameters and non-zeros, so a reader of the event stream sees what a stage changed (a layer
 * narrower, a layer gone, weights zeroed) without loading the model. For a ComputationGraph the
 * non-layer vertices (element-wise adds, merges) are listed too, in forward order, because a
 * residual block is part of the architecture even though it has no weights.
 */
public final class LayerSummaries {

    private LayerSummaries() {}

    /** The table, with activation shapes when the model records its input size ({@code ?} otherwise). */
    public static List<LayerInfo> of(Model model) {
        return of(model, Network.of(model).input());
    }

    /** The table for examples of {@code input} (e.g. resolved against the data set an image model reads). */
    public static List<LayerInfo> of(Model model, InputShape input) {
        ModelFormat.of(model);
        NetworkView view = NetworkView.describing(model);
        Map<String, NodeShape> shapes = input.complete() ? view.shapes(input.inputType()) : null;
        List<LayerInfo> out = new ArrayList<>();
        for (Node n : view.nodes()) {
            if (n.isInput()) {
                continue;
            }
            INDArray params = n.layer() == null ? null : view.network().layerParams(n.name());
            out.add(new LayerInfo(n.name(), n.typeName(), shape(n, params, shapes == null ? null : shapes.get(n.name())),
                    params == null ? 0 : params.length(), ParamCounts.nonzeros(params)));
        }
        return out;
    }

    static String shape(Node node, INDArray params, NodeShape shape) {
        Object config = node.config();
        if (config instanceof ConvolutionLayer conv) {
            int[] k = conv.getKernelSize();
            return k[0] + "x" + k[1] + "x" + conv.getNIn() + "->" + conv.getNOut();
        }
        if (config instanceof BatchNormalization bn) {
            return bn.getNOut() + "->" + bn.getNOut();
        }
        if (config instanceof FeedForwardLayer ff && params != null) {
            return ff.getNIn() + "->" + ff.getNOut();
        }
        String in = shape == null ? "?" : shape.inputs().stream().map(NodeShape::describe).collect(Collectors.joining("+"));
        String io = in + "->" + (shape == null ? "?" : NodeShape.describe(shape.output()));
        if (config instanceof ElementWiseVertex vertex) {
            return vertex.getOp().name().toLowerCase() + " " + io;
        }
        return io;
    }
}
