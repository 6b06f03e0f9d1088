package dev.topiary.nn.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network restored from an artifact together with its kind, so callers can branch on an enum
 * instead of {@code instanceof} chains, and events can record the format without looking inside.
 */
public record LoadedModel(Model model, ModelFormat format) {

    public LoadedModel {
        if (ModelFormat.of(model) != format) {
            throw new IllegalArgumentException("Model is a " + ModelFormat.of(model) + ", not a " + format);
        }
    }

    /** Wraps a live network, e.g. one a builder just made. */
    public static LoadedModel of(Model model) {
        return new LoadedModel(model, ModelFormat.of(model));
    }

    /** The network as a MultiLayerNetwork; fails with the actual kind if it is a graph. */
    public MultiLayerNetwork multiLayerNetwork() {
        if (format != ModelFormat.MULTI_LAYER_NETWORK) {
            throw new IllegalStateException("Model is a ComputationGraph, not a MultiLayerNetwork");
        }
        return (MultiLayerNetwork) model;
    }

    /** The network as a ComputationGraph; fails with the actual kind if it is a MultiLayerNetwork. */
    public ComputationGraph computationGraph() {
        if (format != ModelFormat.COMPUTATION_GRAPH) {
            throw new IllegalStateException("Model is a MultiLayerNetwork, not a ComputationGraph");
        }
        return (ComputationGraph) model;
    }
}
