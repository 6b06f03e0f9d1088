package dev.topiary.nn.train;

import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;

/**
 * The label by which a stage asks the next training to train only some layers (a grow that
 * inserted new blocks: {@code trainOnly: new}), and its reading: every other layer with parameters
 * is frozen for that run ({@link FrozenLayers}). The training stage honours it once and removes it,
 * so the version it publishes is an ordinary network that later stages train whole.
 *
 * <pre>{@code
 * labels.put(TrainOnly.LABEL, TrainOnly.value(List.of("grown1_dense1", "grown1_dense2")));
 * StepHook hook = TrainOnly.freezeOthers(model, version.getLabels());   // StepHook.NONE without the label
 * }</pre>
 */
public final class TrainOnly {
    public static final String LABEL = "grow.trainOnly";

    private TrainOnly() {
    }

    /** The label's value for {@code layers}: their names, comma-separated. */
    public static String value(Collection<String> layers) {
        return String.join(",", layers);
    }

    /** Whether {@code labels} ask for the next training to train only some layers. */
    public static boolean requested(Map<String, String> labels) {
        String v = labels.get(LABEL);
        return v != null && !v.isBlank();
    }

    /**
     * Holds every layer with parameters fixed except those the label names; {@link StepHook#NONE} when
     * the labels have none.
     *
     * @throws IllegalArgumentException naming a layer the label names that the model does not have
     */
    public static StepHook freezeOthers(Model model, Map<String, String> labels) {
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
        List<String> frozen = view.nodes().stream().filter(n -> !view.params(n).isEmpty()).map(Node::name)
                .filter(n -> !train.contains(n)).toList();
        return FrozenLayers.of(model, frozen);
    }
}
