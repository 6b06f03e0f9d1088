package dev.topiary.surgery.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The layers whose output has exactly the shape of their input (a same-padded convolution keeping
 * its channel count, a square Dense layer, BatchNormalization, dropout, activations): the ones a
 * cut can remove without touching any other layer's shape.
 */
public final class SameShapeLayers {
    private SameShapeLayers() {
    }

    /** Such nodes of {@code view} for examples of {@code input}, in topological order; the output excluded. */
    public static List<String> find(NetworkView view, InputType input) {
        Map<String, NodeShape> shapes = view.shapes(input);
        List<String> out = new ArrayList<>();
        for (Node n : view.nodes()) {
            if (n.isInput() || n.inputs().size() != 1 || n.name().equals(view.output())) {
                continue;
            }
            if (shapes.get(n.input()).output().equals(shapes.get(n.name()).output())) {
                out.add(n.name());
            }
        }
        return out;
    }
}
