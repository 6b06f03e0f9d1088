package dev.topiary.pruner.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a batch through a network in inference mode and returns every node's output by node name,
 * the one place that knows MultiLayerNetwork returns a list and ComputationGraph a map.
 */
public final class ActivationProbe {
    private ActivationProbe() {
    }

    public static Map<String, INDArray> activations(NetworkView view, INDArray input) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (view.model() instanceof MultiLayerNetwork net) {
            List<INDArray> acts = net.feedForward(input, false);
            List<Node> nodes = view.nodes();
            for (int i = 0; i < nodes.size(); i++) {
                out.put(nodes.get(i).name(), acts.get(i)); // nodes: input, then layer 0, 1, ...
            }
        } else {
            ComputationGraph graph = (ComputationGraph) view.model();
            if (graph.getConfiguration().getNetworkInputs().size() != 1) {
                throw new UnsupportedModelException("prune: graphs with more than one input are not supported");
            }
            out.putAll(graph.feedForward(input, false));
        }
        return out;
    }

    /** Shapes of every node's output for one example, e.g. {@code [1, 6, 24, 24]} for a convolution. */
    public static Map<String, long[]> shapes(NetworkView view, INDArray example) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        activations(view, example).forEach((k, v) -> shapes.put(k, v.shape()));
        return shapes;
    }
}
