package dev.topiary.surgery.graph;

import dev.topiary.surgery.layers.LayerRules;
import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One vertex of a network seen as a graph, the same for MultiLayerNetwork and ComputationGraph.
 *
 * @param name the layer or vertex name (for a MultiLayerNetwork, the layer's configured name)
 * @param rules the rules of its type; null for the network input
 * @param config the layer configuration or graph vertex; null for the network input
 * @param inputs names of the nodes whose outputs this node reads, in order
 * @param preProcessor the input preprocessor in front of the layer, or null
 */
public record Node(String name, LayerRules rules, Object config, List<String> inputs, InputPreProcessor preProcessor) {

    public Node {
        inputs = List.copyOf(inputs);
    }

    public boolean isInput() {
        return rules == null;
    }

    /** The layer configuration, or null for the input and for vertices that are not layers. */
    public Layer layer() {
        return config instanceof Layer l ? l : null;
    }

    /** The first (for most nodes, the only) input. */
    public String input() {
        return inputs.isEmpty() ? null : inputs.get(0);
    }

    /** The type name for messages, e.g. {@code ConvolutionLayer}. */
    public String typeName() {
        return config == null ? "input" : config.getClass().getSimpleName();
    }
}
