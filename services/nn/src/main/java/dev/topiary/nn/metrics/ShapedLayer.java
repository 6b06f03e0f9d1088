package dev.topiary.nn.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.topiary.nn.model.ModelShapes;

/**
 * A layer or graph vertex with the activation types flowing into and out of it, in forward
 * order. DL4J's layer configurations hold kernel sizes and channel counts but not spatial sizes,
 * which only exist relative to an input type; MAC counts and layer summaries both need them, so
 * both walk this one list and cannot disagree.
 *
 * @param name the layer or vertex name
 * @param config the DL4J {@link Layer} configuration, or the {@link GraphVertex} for a non-layer vertex
 * @param inputs the types the layer computes on (after any input preprocessor)
 * @param output the type it produces
 * @param params its parameters (a view into the network's), or null if it has none
 */
record ShapedLayer(String name, Object config, List<InputType> inputs, InputType output, INDArray params) {

    /** The layers of a MultiLayerNetwork, or the vertices (inputs excluded) of a ComputationGraph. */
    static List<ShapedLayer> of(Model model) {
        InputType input = ModelShapes.inputType(model);
        if (model instanceof MultiLayerNetwork mln) {
            return of(mln, input);
        }
        return of((ComputationGraph) model, input);
    }

    private static List<ShapedLayer> of(MultiLayerNetwork net, InputType input) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        List<ShapedLayer> layers = new ArrayList<>();
        InputType current = input;
        for (int i = 0; i < outputs.size(); i++) {
            InputPreProcessor preprocessor = conf.getInputPreProcess(i);
            if (preprocessor != null) {
                current = preprocessor.getOutputType(current);
            }
            Layer layer = conf.getConf(i).getLayer();
            String name = layer.getLayerName() != null ? layer.getLayerName() : "layer" + i;
            layers.add(new ShapedLayer(name, layer, List.of(current), outputs.get(i), paramsOrNull(net.getLayer(i))));
            current = outputs.get(i);
        }
        return layers;
    }

    private static List<ShapedLayer> of(ComputationGraph graph, InputType input) {
        // getLayerActivationTypes may add preprocessors and set nIn: work on a copy of the live configuration
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        Map<String, InputType> outputs = conf.getLayerActivationTypes(true, false, input);
        List<ShapedLayer> layers = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex live = graph.getVertices()[index];
            if (live.isInputVertex()) {
                continue;
            }
            String name = live.getVertexName();
            GraphVertex vertex = conf.getVertices().get(name);
            List<InputType> inputs = new ArrayList<>();
            for (String from : conf.getVertexInputs().get(name)) {
                inputs.add(outputs.get(from));
            }
            Object config = vertex;
            if (vertex instanceof LayerVertex lv) {
                config = lv.getLayerConf().getLayer();
                if (lv.getPreProcessor() != null) {
                    inputs.set(0, lv.getPreProcessor().getOutputType(inputs.get(0)));
                }
            }
            layers.add(new ShapedLayer(name, config, List.copyOf(inputs), outputs.get(name),
                    live.hasLayer() ? paramsOrNull(live.getLayer()) : null));
        }
        return layers;
    }

    private static INDArray paramsOrNull(org.deeplearning4j.nn.api.Layer layer) {
        INDArray params = layer.params();
        return params == null || params.isEmpty() ? null : params;
    }
}
