package dev.topiary.surgery.layers;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything Topiary knows about one DL4J layer or vertex type, in one place: which of its axes
 * hold input and output channels, how its parameters are indexed (so they can be selected,
 * repeated or permuted), how its widths are read and written, what it costs in MACs as a function
 * of its widths, and which settings it cannot handle. A new layer type is one new class
 * implementing this, registered in a {@link LayerRegistry}.
 *
 * <p>{@code config} is always an instance of {@link #handles()}: a DL4J layer configuration
 * ({@code org.deeplearning4j.nn.conf.layers.Layer}) or a graph vertex
 * ({@code org.deeplearning4j.nn.conf.graph.GraphVertex}).
 *
 * <pre>{@code
 * LayerRules rules = LayerRegistry.standard().rulesFor(denseLayer, "dense1", "prune");
 * ParamAxes w = rules.axes("W");          // W[nIn, nOut]: out axis 1, in axis 0
 * long macs = rules.macs(denseLayer, in, out, 784, 300);   // 784 * 300
 * }</pre>
 */
public interface LayerRules {

    /** The configuration class handled, matched exactly (subclasses often lay weights out differently). */
    Class<?> handles();

    /** What the type does to channels. */
    Channels channels();

    /** The name used in messages: DL4J's simple class name. */
    default String typeName() {
        return handles().getSimpleName();
    }

    /**
     * True when this type's output channels must never be remapped (an output layer's classes):
     * its channel group is fixed.
     */
    default boolean fixedOutputs() {
        return false;
    }

    /**
     * Refuses settings of this instance the rules do not cover (e.g. the NHWC layout), with a message
     * naming {@code operation}, the node and what is wrong.
     */
    default void check(Object config, String node, String operation) {
    }

    /** How parameter {@code param} is indexed, or null when this type has no such parameter. */
    default ParamAxes axes(String param) {
        return null;
    }

    /** A producer's width: its output channels ({@code nOut}). Only producers are asked. */
    default long outputChannels(Object config) {
        throw new UnsupportedOperationException(typeName() + " does not produce channels");
    }

    /** The input rows a producer reads ({@code nIn}; a channel count times the block behind a flattening). */
    default long inputRows(Object config) {
        throw new UnsupportedOperationException(typeName() + " does not read weighted inputs");
    }

    /**
     * Writes new widths into {@code config} (a copy the caller owns). A producer gets its input
     * rows and output channels; a pass-through layer gets its channel count in both.
     */
    default void resize(Object config, long inputRows, long outputChannels) {
    }

    /**
     * Multiply-accumulates per example when the layer reads {@code inputRows} rows and writes
     * {@code outputChannels} channels, with the spatial sizes of {@code input} and {@code output}
     * (the convention of Torch-Pruning and thop: multiplications by weights, nothing else).
     */
    default long macs(Object config, InputType input, InputType output, long inputRows, long outputChannels) {
        return 0;
    }

    /**
     * Sets {@code params} (a new layer's own, initialised arrays) so the layer computes the identity
     * on its input, for inserting a layer without changing the function (Net2DeeperNet).
     *
     * @return why this configuration cannot be an identity, or empty when {@code params} now make it one
     */
    default Optional<String> makeIdentity(Object config, Map<String, INDArray> params) {
        return Optional.of(typeName() + " has no identity form");
    }
}
