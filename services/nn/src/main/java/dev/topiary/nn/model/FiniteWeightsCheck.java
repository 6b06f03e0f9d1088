package dev.topiary.nn.model;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Refuses a restored network with a NaN or infinite parameter, naming the layer and parameter. Such
 * weights load without complaint and then turn every output, metric and gradient into NaN, so a
 * stage would publish nonsense (or a pruner would rank NaNs) instead of failing where the damage is.
 */
final class FiniteWeightsCheck {
    private FiniteWeightsCheck() {}

    static void check(Model model) {
        Layer[] layers = model instanceof MultiLayerNetwork net ? net.getLayers() : ((ComputationGraph) model).getLayers();
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                INDArray values = param.getValue();
                String problem = BooleanIndexing.or(values, Conditions.isNan()) ? "NaN"
                        : BooleanIndexing.or(values, Conditions.isInfinite()) ? "infinite" : null;
                if (problem != null) {
                    String name = layer.conf().getLayer().getLayerName();
                    throw new ModelLoadException("Layer '" + (name == null ? "#" + i : name) + "' (layer " + i
                            + ") has " + problem + " values in parameter '" + param.getKey()
                            + "': refusing a model whose weights are not finite numbers");
                }
            }
        }
    }
}
