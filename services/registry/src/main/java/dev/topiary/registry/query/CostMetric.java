package dev.topiary.registry.query;

import dev.topiary.runtime.metrics.MetricNames;
import java.util.Arrays;
import java.util.Optional;

/** What a version costs, each a metric where less is better: the x of the frontier, what {@code best} minimizes. */
public enum CostMetric {
    MACS(MetricNames.MACS),
    LATENCY_MS(MetricNames.LATENCY_MS),
    ARTIFACT_BYTES(MetricNames.ARTIFACT_BYTES),
    PARAMS(MetricNames.PARAMS),
    NONZERO_PARAMS(MetricNames.NONZERO_PARAMS);

    /** The metric's name in a version's metrics. */
    public final String key;

    CostMetric(String key) {
        this.key = key;
    }

    public static Optional<CostMetric> byKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
    }

    public static String keys() {
        return String.join(", ", Arrays.stream(values()).map(m -> m.key).toList());
    }
}
