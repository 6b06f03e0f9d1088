package dev.topiary.pruner.graph;

import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One vertex of a network seen as a graph, the same for MultiLayerNetwork and ComputationGraph.
 *
 * @param name the layer or vertex name (for a MultiLayerNetwork, the layer's configured name)
 * @param inputs names of the nodes whose outputs this node reads, in order
 * @param layer the layer configuration, null for inputs and element-wise vertices
 * @param preProcessor the input preprocessor in front of the layer, or null
 * @param paramPrefix the prefix of this layer's keys in the model's param and gradient tables
 *     ({@code "0"} for the first layer of a MultiLayerNetwork, the name in a ComputationGraph)
 * @param index position of the layer in a MultiLayerNetwork, -1 otherwise
 */
public record Node(
        String name,
        NodeKind kind,
        List<String> inputs,
        Layer layer,
        InputPreProcessor preProcessor,
        String paramPrefix,
        int index) {

    public String input() {
        return inputs.isEmpty() ? null : inputs.get(0);
    }
}
