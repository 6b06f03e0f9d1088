package dev.topiary.runtime.pipeline;

import dev.topiary.runtime.metrics.MetricNames;
import java.util.Map;
import java.util.Optional;

/**
 * A metric named in a {@code when} expression and how its value is read from a version's metrics
 * and its (first) parent's: a plain metric, {@code accuracyDrop}, or a metric followed by
 * {@code Change} or {@code Ratio}. Which plain names exist is the {@link MetricVocabulary}'s business.
 */
record MetricTerm(String name, String metric, Kind kind) implements ConditionNode.Operand {

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

    /** The term {@code name} stands for, if the vocabulary knows it. An exact name wins over a suffix reading. */
    static Optional<MetricTerm> resolve(String name, MetricVocabulary vocabulary) {
        if (vocabulary.knows(name)) {
            return Optional.of(new MetricTerm(name, name, Kind.VALUE));
        }
        if (name.equals(MetricNames.ACCURACY_DROP)) {
            return Optional.of(new MetricTerm(name, MetricNames.ACCURACY, Kind.DROP));
        }
        for (Kind kind : new Kind[] {Kind.CHANGE, Kind.RATIO}) {
            String suffix = kind == Kind.CHANGE ? MetricNames.CHANGE_SUFFIX : MetricNames.RATIO_SUFFIX;
            if (name.endsWith(suffix) && vocabulary.knows(name.substring(0, name.length() - suffix.length()))) {
                return Optional.of(new MetricTerm(name, name.substring(0, name.length() - suffix.length()), kind));
            }
        }
        return Optional.empty();
    }

    /**
     * The value, or null when it cannot be known: the metric or the parent's is absent or NaN, or a
     * ratio's parent value is zero. Null rather than NaN so callers cannot compare it by accident.
     */
    @Override
    public Double valueIn(Map<String, Double> metrics, Map<String, Double> parentMetrics) {
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
