package dev.topiary.surgery.graph;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The activation types flowing into and out of one node for one example: what DL4J's layer
 * configurations do not hold (spatial sizes exist only relative to an input type), and what MAC
 * counts, layer summaries and shape checks all need.
 *
 * @param inputs the types the node computes on (after its input preprocessor); empty for the input
 * @param output the type it produces
 */
public record NodeShape(List<InputType> inputs, InputType output) {
    public NodeShape {
        inputs = List.copyOf(inputs);
    }

    public InputType input() {
        return inputs.isEmpty() ? null : inputs.get(0);
    }

    /** The channel count of {@code type}: its size for dense activations, its channels for images. */
    public static long channels(InputType type) {
        if (type instanceof InputType.InputTypeFeedForward f) {
            return f.getSize();
        }
        if (type instanceof InputType.InputTypeConvolutional c) {
            return c.getChannels();
        }
        if (type instanceof InputType.InputTypeConvolutionalFlat c) {
            return c.getDepth();
        }
        if (type instanceof InputType.InputTypeRecurrent r) {
            return r.getSize();
        }
        throw new IllegalArgumentException("no channel count for " + type);
    }

    /** {@code 784}, {@code 28x28x1} (height x width x channels), {@code 8x20} (size x time steps). */
    public static String describe(InputType type) {
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
