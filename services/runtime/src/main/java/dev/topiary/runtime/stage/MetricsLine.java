package dev.topiary.runtime.stage;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The few metrics worth one log line, in a fixed order. */
final class MetricsLine {
    private static final List<String> SHOWN = List.of("accuracy", "params", "nonzeroParams", "macs", "artifactBytes", "latencyMs");

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
