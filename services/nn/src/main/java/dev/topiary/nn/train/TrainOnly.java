package dev.topiary.nn.train;

import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;

/**
 * The labels by which a stage asks the next training to train only some layers (a grow that
 * inserted new blocks: {@code trainOnly: new}), and their reading: every other layer with
 * parameters is frozen for that run, or held back to a share of the rate when
 * {@link #OTHERS_RATE} says so ({@link FrozenLayers}). The training stage honours them once and
 * removes them, so the version it publishes is an ordinary network that later stages train whole.
 *
 * <pre>{@code
 * labels.putAll(TrainOnly.labels(List.of("grown1_dense1", "grown1_dense2"), 0.1));
 * StepHook hook = TrainOnly.holdOthers(model, version.getLabels());   // StepHook.NONE without the label
 * }</pre>
 */
public final class TrainOnly {
    /** The layers to train, comma-separated. */
    public static final String LABEL = "grow.trainOnly";
    /** The share of the rate at which the other layers train (absent: 0, frozen). */
    public static final String OTHERS_RATE = "grow.othersRate";

    private TrainOnly() {
    }

    /** The label's value for {@code layers}: their names, comma-separated. */
    public static String value(Collection<String> layers) {
        return String.join(",", layers);
    }

    /**
     * The labels asking to train {@code layers} at the full rate and the others at {@code othersRate} of it (0: frozen).
     *
     * @throws IllegalArgumentException when {@code othersRate} is outside [0, 1)
     */
    public static Map<String, String> labels(Collection<String> layers, double othersRate) {
        if (!(othersRate >= 0 && othersRate < 1)) {
            throw new IllegalArgumentException("the other layers' share of the rate must be in [0, 1), got " + othersRate);
        }
        Map<String, String> labels = new HashMap<>();
        labels.put(LABEL, value(layers));
        if (othersRate > 0) {
            labels.put(OTHERS_RATE, Double.toString(othersRate));
        }
        return labels;
    }

    /** Whether {@code labels} ask for the next training to train only some layers. */
    public static boolean requested(Map<String, String> labels) {
        String v = labels.get(LABEL);
        return v != null && !v.isBlank();
    }

    /** The labels a training that honoured the request publishes: each removed (a null value removes an inherited label). */
    public static Map<String, String> honoured() {
        Map<String, String> removed = new HashMap<>();
        removed.put(LABEL, null);
        removed.put(OTHERS_RATE, null);
        return removed;
    }

    /**
     * Holds every layer with parameters fixed, or back to the labelled share of the rate, except
     * those the label names; {@link StepHook#NONE} when the labels have none.
     *
     * @throws IllegalArgumentException naming a layer the label names that the model does not have,
     *         or a share of the rate that is not a number in [0, 1)
     */
    public static StepHook holdOthers(Model model, Map<String, String> labels) {
        if (!requested(labels)) {
            return StepHook.NONE;
        }
        Set<String> train = Arrays.stream(labels.get(LABEL).split(",")).map(String::trim).collect(Collectors.toSet());
        NetworkView view = NetworkView.describing(model);
        for (String layer : train) {
            if (!view.has(layer)) {
                throw new IllegalArgumentException("label " + LABEL + " names layer '" + layer + "', which the model does not have");
            }
        }
        double othersRate = othersRate(labels);
        List<String> others = view.nodes().stream().filter(n -> !view.params(n).isEmpty()).map(Node::name)
                .filter(n -> !train.contains(n)).toList();
        return FrozenLayers.of(model, others, othersRate);
    }

    private static double othersRate(Map<String, String> labels) {
        String v = labels.get(OTHERS_RATE);
        if (v == null) {
            return 0;
        }
        try {
            return Double.parseDouble(v); // FrozenLayers checks the range
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("label " + OTHERS_RATE + " must be a number in [0, 1), got '" + v + "'");
        }
    }
}
