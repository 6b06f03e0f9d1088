package dev.topiary.runtime.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names of the metrics a version carries in {@code ModelVersion.metrics.values}, defined once:
 * stages write them, conditions ({@code when:}) read them, the CLI prints them and the JSON output
 * keys them. A service's own measurements are named {@code <kind>.<name>} ({@code prune.weightSparsity})
 * and declared by its kind ({@link dev.topiary.runtime.stage.ServiceKind#metrics()}), so no service
 * can take a standard name or another service's by accident.
 */
public final class MetricNames {
    /** Share of the test split classified correctly, from 0 to 1. */
    public static final String ACCURACY = "accuracy";
    /** Mean cross-entropy on the test split. */
    public static final String LOSS = "loss";
    public static final String PARAMS = "params";
    public static final String NONZERO_PARAMS = "nonzeroParams";
    /** Multiply-accumulates per sample. */
    public static final String MACS = "macs";
    /** Size of the stored artifact; the runner sets it. */
    public static final String ARTIFACT_BYTES = "artifactBytes";
    /** Milliseconds per 1,000 samples at batch 256, on one core. */
    public static final String LATENCY_MS = "latencyMs";
    /** Layers holding a weight matrix or kernel (dense, output, convolution): what cut and grow change. */
    public static final String LAYERS = "layers";
    /** How many GROW operations lie behind a version: inherited from its parents, plus one for each grow; 0 for a root. */
    public static final String GENERATION = "generation";
    /** The highest accuracy among the parents of a version with several parents. */
    public static final String BEST_PARENT_ACCURACY = "bestParentAccuracy";
    /** The mean accuracy of the parents of a version with several parents. */
    public static final String MEAN_PARENT_ACCURACY = "meanParentAccuracy";

    /** Derived in conditions: the (first) parent's accuracy minus this version's. */
    public static final String ACCURACY_DROP = "accuracyDrop";
    /** Derived in conditions: {@code <metric>Change} is this version's value minus the parent's. */
    public static final String CHANGE_SUFFIX = "Change";
    /** Derived in conditions: {@code <metric>Ratio} is this version's value divided by the parent's. */
    public static final String RATIO_SUFFIX = "Ratio";

    /** Separates a service kind from its own metric's name. */
    public static final char KIND_SEPARATOR = '.';

    private static final Map<String, String> STANDARD = standard();

    private MetricNames() {}

    private static Map<String, String> standard() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ACCURACY, "accuracy on the test split, from 0 to 1");
        m.put(LOSS, "mean cross-entropy on the test split");
        m.put(PARAMS, "number of parameters");
        m.put(NONZERO_PARAMS, "parameters that are not zero (what unstructured pruning reduces)");
        m.put(MACS, "multiply-accumulates per sample");
        m.put(ARTIFACT_BYTES, "size of the stored model");
        m.put(LATENCY_MS, "inference time per 1,000 samples at batch 256, one core");
        m.put(LAYERS, "layers with a weight matrix or kernel (dense, output, convolution)");
        m.put(GENERATION, "grows behind this version: the parents' highest, +1 for a grow; 0 for a root");
        m.put(BEST_PARENT_ACCURACY, "highest accuracy among the parents (versions with several parents)");
        m.put(MEAN_PARENT_ACCURACY, "mean accuracy of the parents (versions with several parents)");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Every standard name with what it means, in the order help texts list them. */
    public static Map<String, String> standardMeanings() {
        return STANDARD;
    }

    public static List<String> standardNames() {
        return List.copyOf(STANDARD.keySet());
    }

    public static boolean isStandard(String name) {
        return STANDARD.containsKey(name);
    }

    /** {@code kind.name}: the name a service publishes its own metric under. */
    public static String qualified(String kind, String name) {
        return kind + KIND_SEPARATOR + name;
    }

    /** The service kind a qualified name belongs to ({@code prune} for {@code prune.weightSparsity}); empty for a standard name. */
    public static Optional<String> kindOf(String name) {
        int dot = name.indexOf(KIND_SEPARATOR);
        return dot > 0 ? Optional.of(name.substring(0, dot)) : Optional.empty();
    }
}
