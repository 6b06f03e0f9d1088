package dev.topiary.cutter;

import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.NodeShape;
import dev.topiary.surgery.graph.ResidualBlock;
import dev.topiary.surgery.graph.SameShapeLayers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * One thing a cut can take out: a residual block (its branch and add; the identity skip stays) or a
 * single layer. {@link #find} decides what a model offers: its residual blocks when it has any (so
 * {@code blocks: 2} of a ResNet means two blocks, never a stray batch norm); otherwise its layers
 * with parameters whose output has the shape of their input (Dense n→n, same-padded convolution
 * c→c, BatchNormalization); with a bridge, any hidden layer with parameters, since the bridge makes
 * the shapes fit. Never a layer reading the network input, nor the output layer.
 *
 * @param name how reports name it: the block's name ({@code block3} for {@code block3_add}) or the layer's
 * @param from the node whose output is the unit's input
 * @param to the node whose output is the unit's output (the add of a block)
 * @param nodes the nodes a cut removes, in topological order
 */
public record CutUnit(String name, Kind kind, String from, String to, List<String> nodes) {

    public enum Kind { BLOCK, LAYER }

    public CutUnit {
        nodes = List.copyOf(nodes);
    }

    /** The units of {@code view} for examples of {@code input}, in topological order. */
    public static List<CutUnit> find(NetworkView view, InputType input, boolean bridge) {
        Map<String, NodeShape> shapes = view.shapes(input);
        List<CutUnit> blocks = new ArrayList<>();
        for (ResidualBlock b : ResidualBlock.find(view)) {
            // a projection skip changes the shape: the block's input and output cannot be compared, nor the skip kept alone
            if (b.identitySkip() && shapes.get(b.fork()).output().equals(shapes.get(b.add()).output())) {
                List<String> removed = new ArrayList<>(b.branch());
                removed.add(b.add());
                blocks.add(new CutUnit(blockName(b.add()), Kind.BLOCK, b.fork(), b.add(), removed));
            }
        }
        if (!blocks.isEmpty()) {
            return blocks;
        }
        Set<String> candidates = new HashSet<>(bridge ? hiddenLayers(view) : SameShapeLayers.find(view, input));
        String networkInput = view.input().name();
        List<CutUnit> layers = new ArrayList<>();
        for (Node n : view.nodes()) {
            if (candidates.contains(n.name()) && n.layer() != null && !n.input().equals(networkInput)
                    && !view.params(n).isEmpty()) {
                layers.add(new CutUnit(n.name(), Kind.LAYER, n.input(), n.name(), List.of(n.name())));
            }
        }
        return layers;
    }

    /** Why a model offers nothing to cut, for the dead letter. */
    public static String nothingToCut(boolean bridge) {
        return bridge
                ? "cut: no residual block and no hidden layer with parameters besides the first; nothing to bridge"
                : "cut: no residual block and no layer with equal input and output shape (besides the first and the output); "
                        + "use bridge: linear to replace layers whose shapes differ";
    }

    private static List<String> hiddenLayers(NetworkView view) {
        List<String> out = new ArrayList<>();
        for (Node n : view.nodes()) {
            if (!n.isInput() && n.inputs().size() == 1 && !n.name().equals(view.output())) {
                out.add(n.name());
            }
        }
        return out;
    }

    private static String blockName(String add) {
        return add.endsWith("_add") && add.length() > 4 ? add.substring(0, add.length() - 4) : add;
    }
}
