package dev.topiary.runtime.stage;

import dev.topiary.runtime.metrics.MetricNames;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The few metrics worth one log line, in a fixed order. */
final class MetricsLine {
    private static final List<String> SHOWN = List.of(MetricNames.ACCURACY, MetricNames.PARAMS, MetricNames.NONZERO_PARAMS,
            MetricNames.MACS, MetricNames.ARTIFACT_BYTES, MetricNames.LATENCY_MS);

    private MetricsLine() {}

    static String of(Map<String, Double> metrics) {
        StringBuilder b = new StringBuilder();
        for (String k : SHOWN) {
            Double v = metrics.get(k);
            if (v != null) {
                b.append(k).append('=').append(v == Math.rint(v) && Math.abs(v) < 1e15
                        ? String.valueOf(v.longValue()) : String.format(Locale.ROOT, "%.4f", v)).append(' ');
            }
        }
        return b.toString().trim();
    }
}
