package dev.topiary.runtime.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One identifier of the {@code when} language and how its value is read from a version's metrics
 * and its parent's. Kept apart from the parser so the list of names the language knows lives in
 * one place, the same one error messages and the README quote.
 */
record MetricTerm(String name, String metric, Kind kind) {

    /** The metric keys stages publish in {@code ModelVersion.metrics.values}. */
    static final List<String> METRICS = List.of(
            "accuracy", "loss", "params", "nonzeroParams", "macs", "artifactBytes", "latencyMs");

    static final String DROP = "accuracyDrop";
    static final String CHANGE_SUFFIX = "Change";
    static final String RATIO_SUFFIX = "Ratio";

    enum Kind {
        /** The new version's own value. */
        VALUE,
        /** Parent minus new: positive when the value went down, which is how people speak of accuracy. */
        DROP,
        /** New minus parent. */
        CHANGE,
        /** New divided by parent. */
        RATIO
    }

    static Optional<MetricTerm> resolve(String name) {
        if (METRICS.contains(name)) {
            return Optional.of(new MetricTerm(name, name, Kind.VALUE));
        }
        if (name.equals(DROP)) {
            return Optional.of(new MetricTerm(name, "accuracy", Kind.DROP));
        }
        for (String metric : METRICS) {
            if (name.equals(metric + CHANGE_SUFFIX)) {
                return Optional.of(new MetricTerm(name, metric, Kind.CHANGE));
            }
            if (name.equals(metric + RATIO_SUFFIX)) {
                return Optional.of(new MetricTerm(name, metric, Kind.RATIO));
            }
        }
        return Optional.empty();
    }

    /** Every identifier, in the order the README lists them. */
    static List<String> all() {
        List<String> names = new ArrayList<>(METRICS);
        names.add(DROP);
        METRICS.forEach(m -> names.add(m + CHANGE_SUFFIX));
        METRICS.forEach(m -> names.add(m + RATIO_SUFFIX));
        return Collections.unmodifiableList(names);
    }

    /** Short enough for an error message, complete enough to fix the typo. */
    static String describeAll() {
        return String.join(", ", METRICS) + ", " + DROP
                + "; and any metric followed by Change (new - parent) or Ratio (new / parent), e.g. paramsRatio";
    }

    /**
     * The value, or null when it cannot be known: the metric or the parent's is absent or NaN, or a
     * ratio's parent value is zero. Null rather than NaN so callers cannot compare it by accident.
     */
    Double valueIn(Map<String, Double> metrics, Map<String, Double> parentMetrics) {
        Double value = known(metrics, metric);
        if (value == null || kind == Kind.VALUE) {
            return value;
        }
        Double parent = known(parentMetrics, metric);
        if (parent == null) {
            return null;
        }
        return switch (kind) {
            case DROP -> parent - value;
            case CHANGE -> value - parent;
            case RATIO -> parent == 0.0 ? null : value / parent;
            case VALUE -> value;
        };
    }

    private static Double known(Map<String, Double> metrics, String key) {
        if (metrics == null) {
            return null;
        }
        Double v = metrics.get(key);
        return v == null || v.isNaN() ? null : v;
    }
}
