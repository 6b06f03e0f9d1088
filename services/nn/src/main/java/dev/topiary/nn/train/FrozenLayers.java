package dev.topiary.nn.train;

import dev.topiary.surgery.graph.Network;
import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layers held fixed for one training run (a cut network healing around the layers it kept, a grown
 * one training only its new layers), or held back to a share of the learning rate, then ordinary
 * again: a {@link StepHook} that puts the frozen layers' parameters back after every step, or keeps
 * only that share of the step they took. A share of the step is that share of the rate, since the
 * steps of Adam, of momentum SGD and of decoupled weight decay are proportional to the rate (for
 * the same gradients). Gradients still flow through the frozen layers to the
 * ones before them (as DL4J's {@code FrozenLayerWithBackprop}), the layers' own running statistics
 * (BatchNormalization's mean and variance) are parameters here too (frozen, or moved by the same
 * share), and nothing in the network's
 * configuration changes, so it saves, loads and trains afterwards like any other.
 *
 * <p>Why not DL4J's own means: a {@code NoOp} updater does not freeze (DL4J then subtracts the raw
 * gradient, a step at learning rate 1: {@code UpdaterBlock.update} applies the updater to the
 * gradient and the optimizer subtracts whatever it leaves), and wrapping layers in
 * {@code FrozenLayerWithBackprop} means rebuilding the network twice, while the trainer also
 * installs one updater into every layer ({@link Trainer}). Restoring after each step works the same
 * with DL4J's {@code fit} and the dense engine (which reads the parameters afresh every step), at the
 * cost of a copy of the frozen parameters per step.
 *
 * <pre>{@code
 * FrozenLayers frozen = FrozenLayers.of(model, List.of("conv1", "bn1"));
 * new Trainer(config).fit(model, data, listener, frozen.andThen(mask::apply));
 * }</pre>
 */
public final class FrozenLayers implements StepHook {
    private final Model model;
    private final List<INDArray[]> pairs;
    private final double rateShare;

    private FrozenLayers(Model model, List<INDArray[]> pairs, double rateShare) {
        this.model = model;
        this.pairs = pairs;
        this.rateShare = rateShare;
    }

    /**
     * Freezes {@code layers} of {@code model} at their current parameters.
     *
     * @throws IllegalArgumentException naming a layer that does not exist or has no parameters
     */
    public static FrozenLayers of(Model model, Collection<String> layers) {
        return of(model, layers, 0);
    }

    /**
     * Holds {@code layers} of {@code model} back to {@code rateShare} of every step (0: frozen).
     *
     * @throws IllegalArgumentException naming a layer that does not exist or has no parameters, or a
     *         share outside [0, 1)
     */
    public static FrozenLayers of(Model model, Collection<String> layers, double rateShare) {
        if (!(rateShare >= 0 && rateShare < 1)) {
            throw new IllegalArgumentException("a held-back layer's share of the rate must be in [0, 1), got " + rateShare);
        }
        NetworkView view = NetworkView.describing(model);
        Network network = view.network();
        List<String> withParams = view.nodes().stream().filter(n -> !view.params(n).isEmpty()).map(Node::name).toList();
        List<INDArray[]> pairs = new ArrayList<>();
        for (String layer : layers) {
            if (!withParams.contains(layer)) {
                throw new IllegalArgumentException("cannot freeze '" + layer + "': no layer of that name with parameters"
                        + " (layers with parameters: " + withParams + ")");
            }
            for (Map.Entry<String, INDArray> p : network.params(layer).entrySet()) {
                pairs.add(new INDArray[] {p.getValue(), p.getValue().dup()});
            }
        }
        return new FrozenLayers(model, List.copyOf(pairs), rateShare);
    }

    /** Puts the frozen parameters back, or keeps the share of the step; {@code model} must be the one frozen. */
    @Override
    public void afterStep(Model trained) {
        if (trained != model) {
            throw new IllegalStateException("these frozen layers belong to another network");
        }
        for (INDArray[] pair : pairs) {
            if (rateShare == 0) {
                pair[0].assign(pair[1]);
            } else { // before + share * (after - before), which the next step starts from
                pair[0].subi(pair[1]).muli(rateShare).addi(pair[1]);
                pair[1].assign(pair[0]);
            }
        }
    }
}
