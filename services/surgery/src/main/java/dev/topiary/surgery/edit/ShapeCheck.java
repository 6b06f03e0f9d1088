package dev.topiary.surgery.edit;

import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.NodeShape;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * Checks that every layer of an edited network reads what its configuration says it reads: its
 * {@code nIn} equals the channels arriving, a flattening's recorded height, width and channels
 * equal the image arriving, and the network's output is still what it was. DL4J itself would only
 * fail later, deep inside a matrix product, with a message naming neither layer.
 */
final class ShapeCheck {
    private ShapeCheck() {
    }

    static void check(Network edited, InputType input, InputType expectedOutput, String operation) {
        NetworkView view = NetworkView.describing(edited.model());
        Map<String, NodeShape> shapes;
        try {
            shapes = view.shapes(input);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(operation + ": " + e.getMessage(), e);
        }
        for (Node n : view.nodes()) {
            if (n.isInput()) {
                continue;
            }
            InputType arriving = shapes.get(n.input()).output();
            if (n.preProcessor() instanceof CnnToFeedForwardPreProcessor f) {
                if (!(arriving instanceof InputType.InputTypeConvolutional c) || c.getHeight() != f.getInputHeight()
                        || c.getWidth() != f.getInputWidth() || c.getChannels() != f.getNumChannels()) {
                    throw mismatch(operation, n, "flattens " + f.getInputHeight() + "x" + f.getInputWidth() + "x"
                            + f.getNumChannels() + " images", arriving);
                }
            } else if (n.preProcessor() instanceof FeedForwardToCnnPreProcessor f) {
                long size = f.getInputHeight() * f.getInputWidth() * f.getNumChannels();
                if (arriving.arrayElementsPerExample() != size) {
                    throw mismatch(operation, n, "reshapes " + size + " values", arriving);
                }
            }
            if (n.layer() instanceof FeedForwardLayer ff && ff.getNIn() > 0) {
                InputType in = shapes.get(n.name()).input();
                if (NodeShape.channels(in) != ff.getNIn()) {
                    throw mismatch(operation, n, "has nIn " + ff.getNIn(), in);
                }
            }
        }
        InputType out = shapes.get(view.output()).output();
        if (expectedOutput != null && !out.equals(expectedOutput)) {
            throw new IllegalArgumentException(operation + ": the network now outputs " + NodeShape.describe(out)
                    + " where it output " + NodeShape.describe(expectedOutput));
        }
    }

    private static IllegalArgumentException mismatch(String operation, Node n, String expects, InputType arriving) {
        return new IllegalArgumentException(operation + ": layer '" + n.name() + "' (" + n.typeName() + ") " + expects
                + " but receives " + NodeShape.describe(arriving));
    }
}
