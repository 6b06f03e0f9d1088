package dev.topiary.grower.blocks;

import dev.topiary.surgery.UnsupportedModelException;
import dev.topiary.surgery.edit.Edits;
import dev.topiary.surgery.edit.Edits.NamedLayer;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.graph.ResidualBlock;
import dev.topiary.surgery.layers.LayerRegistry;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * Block expansion (as LLaMA Pro's): new residual blocks whose branch ends in a layer started at
 * zero, so each adds nothing and the network computes what it did; training then makes them
 * useful. Feed-forward streams get resmlp's branch (Dense ReLU, Dense linear, the second zeroed);
 * image streams rescnn's (3x3 convolution, batch norm, ReLU, 3x3 convolution, batch norm, the last
 * batch norm zeroed, as ResNet's zero-initialised last BatchNormalization). Positions are named
 * layers ({@code after}) or the end of every k-th existing block ({@code every}): after its add and
 * the activation layer reading it, where the next block forks. The add needs a ComputationGraph,
 * so a MultiLayerNetwork (a plain MLP, LeNet) is first made the graph of its own layers
 * ({@link Network#asGraph}: same names, same function) and blocks go {@code after} its named
 * layers; surgery's {@link Edits#insertResidualBlock} checks shapes.
 *
 * <pre>{@code
 * Network deeper = BlockExpansion.insert(network, shape, BlockExpansion.everyKth(network, 1));
 * }</pre>
 */
public final class BlockExpansion {
    private BlockExpansion() {
    }

    /** Where the blocks go for {@code every: k}: the end of existing blocks k, 2k, ... (counted from 1). */
    public static List<String> everyKth(Network network, int k) {
        NetworkView view = NetworkView.of(network, LayerRegistry.standard(), "grow");
        List<ResidualBlock> blocks = ResidualBlock.find(view);
        if (blocks.isEmpty()) {
            throw new UnsupportedModelException("grow: the network has no residual blocks to count for 'every' "
                    + "(name the positions with 'after')");
        }
        List<String> positions = new ArrayList<>();
        for (int i = k - 1; i < blocks.size(); i += k) {
            positions.add(end(view, blocks.get(i).add()));
        }
        return positions;
    }

    /** The add, or the activation layer that alone reads it. */
    static String end(NetworkView view, String add) {
        List<String> readers = view.consumersOf(add);
        if (readers.size() == 1 && view.node(readers.get(0)).config() instanceof ActivationLayer) {
            return readers.get(0);
        }
        return add;
    }

    /**
     * @return the network, a ComputationGraph, with one zero-started block after each position, and
     *     the names of the new nodes
     */
    public static Result insert(Network network, InputShape shape, List<String> positions) {
        Network current = network.asGraph();
        List<String> added = new ArrayList<>();
        for (String after : positions) {
            NetworkView view = NetworkView.of(current, LayerRegistry.standard(), "grow");
            if (!view.has(after) || view.node(after).isInput()) {
                throw new IllegalArgumentException("grow: no layer named '" + after + "' (layers: "
                        + view.nodes().stream().filter(n -> !n.isInput()).map(Node::name).toList() + ")");
            }
            Edits edits = Edits.of(current, shape);
            String prefix = freePrefix(view);
            List<NamedLayer> branch = branch(prefix, edits.shapes().get(after).output(), after);
            current = edits.insertResidualBlock(after, branch, prefix + "_add", true);
            branch.forEach(l -> added.add(l.name()));
            added.add(prefix + "_add");
        }
        return new Result(current, added);
    }

    /** The expanded network and the names of the layers and vertices it gained. */
    public record Result(Network network, List<String> added) {
        public Result {
            added = List.copyOf(added);
        }
    }

    private static List<NamedLayer> branch(String prefix, InputType arriving, String after) {
        if (arriving instanceof InputType.InputTypeFeedForward ff) {
            return List.of(new NamedLayer(prefix + "_dense1", new DenseLayer.Builder().nOut(ff.getSize())
                            .activation(Activation.RELU).build()),
                    new NamedLayer(prefix + "_dense2", new DenseLayer.Builder().nOut(ff.getSize())
                            .activation(Activation.IDENTITY).build()));
        }
        if (arriving instanceof InputType.InputTypeConvolutional cnn) {
            long c = cnn.getChannels();
            return List.of(new NamedLayer(prefix + "_conv1", conv3x3(c)),
                    new NamedLayer(prefix + "_bn1", new BatchNormalization.Builder().build()),
                    new NamedLayer(prefix + "_relu1", new ActivationLayer.Builder().activation(Activation.RELU).build()),
                    new NamedLayer(prefix + "_conv2", conv3x3(c)),
                    new NamedLayer(prefix + "_bn2", new BatchNormalization.Builder().build()));
        }
        throw new IllegalArgumentException("grow: '" + after + "' outputs " + arriving.getType()
                + " activations; blocks go after feed-forward or image (CNN) activations only");
    }

    private static ConvolutionLayer conv3x3(long channels) {
        return new ConvolutionLayer.Builder(3, 3).nOut(channels).stride(1, 1).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.IDENTITY).build();
    }

    private static String freePrefix(NetworkView view) {
        for (int i = 1; ; i++) {
            if (!view.has("grown" + i + "_add")) {
                return "grown" + i;
            }
        }
    }
}
