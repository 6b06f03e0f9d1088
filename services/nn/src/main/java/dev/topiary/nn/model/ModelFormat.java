package dev.topiary.nn.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The two DL4J network kinds Topiary handles. They are saved in the same zip layout but must be
 * restored with different calls, and events record which one an artifact holds.
 */
public enum ModelFormat {
    MULTI_LAYER_NETWORK,
    COMPUTATION_GRAPH;

    /** The format of a live network; anything else is a {@link ModelLoadException}. */
    public static ModelFormat of(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return MULTI_LAYER_NETWORK;
        }
        if (model instanceof ComputationGraph) {
            return COMPUTATION_GRAPH;
        }
        throw new ModelLoadException("Unsupported model type "
                + (model == null ? "null" : model.getClass().getName())
                + ": expected a MultiLayerNetwork or a ComputationGraph");
    }
}
