package dev.topiary.grower.deeper;

import dev.topiary.surgery.edit.Edits;
import dev.topiary.surgery.graph.Blueprint;
import dev.topiary.surgery.graph.InputShape;
import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.layers.LayerRegistry;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * Net2DeeperNet (Chen, Goodfellow and Shlens, 2016): a layer that starts as the identity goes after
 * a named layer. It takes the activation {@code σ} arriving there (the nearest layer's, through
 * pooling and dropout), as the paper does, so training can make it more than a copy: it computes
 * {@code σ(I·h) = σ(σ(z))}, which is {@code σ(z)} only when {@code σ} is idempotent (identity,
 * ReLU). Any other activation (tanh, sigmoid, ...) is refused with that reason unless the caller
 * accepts an inexact start. Feed-forward activations get a Dense layer with {@code W = I};
 * images a same-padded convolution with a centred one-hot odd kernel. Surgery's
 * {@link Edits#insertIdentityAfter} builds it and checks every shape.
 *
 * <pre>{@code
 * Network deeper = Deepening.insert(Network.of(model), shape, "dense1", "dense1_deeper", 3, true);
 * }</pre>
 */
public final class Deepening {
    private Deepening() {
    }

    /**
     * @param name the new layer's name, or null for {@code <after>_deeper} (numbered when taken)
     * @param kernel the odd kernel size of an identity convolution
     * @param exact refuse an activation that is not idempotent
     */
    public static Network insert(Network network, InputShape shape, String after, String name, int kernel, boolean exact) {
        NetworkView view = NetworkView.of(network, LayerRegistry.standard(), "grow");
        if (!view.has(after) || view.node(after).isInput()) {
            throw new IllegalArgumentException("grow: no layer named '" + after + "' (layers: "
                    + view.nodes().stream().filter(n -> !n.isInput()).map(Node::name).toList() + ")");
        }
        String newName = name != null ? name : freeName(view, after + "_deeper");
        if (view.has(newName)) {
            throw new IllegalArgumentException("grow: the network already has a layer named '" + newName + "'");
        }
        IActivation sigma = arrivingActivation(view, after);
        boolean idempotent = sigma instanceof ActivationIdentity || sigma instanceof ActivationReLU;
        if (!idempotent && exact) {
            throw new IllegalArgumentException("grow: the activation arriving after '" + after + "' is " + sigma
                    + ", for which σ(σ(x)) ≠ σ(x), so an identity layer with it would change the function "
                    + "(identity and ReLU are exact; set exact: false to insert it anyway)");
        }
        Edits edits = Edits.of(network, shape);
        InputType arriving = edits.shapes().get(after).output();
        // Built with the identity activation, the one surgery accepts for any input; the arriving σ is set after.
        Layer layer = identityLayer(arriving, after, kernel, idempotent ? sigma : new ActivationIdentity());
        Network deeper = edits.insertIdentityAfter(after, newName, layer);
        if (idempotent) {
            return deeper;
        }
        Blueprint blueprint = deeper.blueprint();
        ((BaseLayer) blueprint.entry(newName).layer()).setActivationFn(sigma);
        return blueprint.build(Blueprint.ParamFill.COPY);
    }

    private static Layer identityLayer(InputType arriving, String after, int kernel, IActivation activation) {
        if (arriving instanceof InputType.InputTypeFeedForward ff) {
            return new DenseLayer.Builder().nOut(ff.getSize()).activation(activation).build();
        }
        if (arriving instanceof InputType.InputTypeConvolutional cnn) {
            return new ConvolutionLayer.Builder(kernel, kernel).nOut(cnn.getChannels()).stride(1, 1)
                    .convolutionMode(ConvolutionMode.Same).activation(activation).build();
        }
        throw new IllegalArgumentException("grow: '" + after + "' outputs " + arriving.getType()
                + " activations; deeper inserts after feed-forward or image (CNN) activations only");
    }

    /** The activation of the nearest layer that has one, looking back through pooling and dropout; identity after a vertex. */
    static IActivation arrivingActivation(NetworkView view, String node) {
        Node n = view.node(node);
        while (!n.isInput()) {
            Object config = n.config();
            if (config instanceof ActivationLayer a) {
                return a.getActivationFn();
            }
            if (config instanceof BaseLayer b) {
                return b.getActivationFn();
            }
            if (config instanceof GraphVertex || !(config instanceof SubsamplingLayer || config instanceof DropoutLayer
                    || config instanceof GlobalPoolingLayer)) {
                break;
            }
            n = view.node(n.input());
        }
        return new ActivationIdentity();
    }

    private static String freeName(NetworkView view, String base) {
        String candidate = base;
        for (int i = 2; view.has(candidate); i++) {
            candidate = base + i;
        }
        return candidate;
    }
}
