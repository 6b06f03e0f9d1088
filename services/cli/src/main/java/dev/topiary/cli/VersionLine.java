package dev.topiary.cli;

import dev.topiary.events.ModelSet;
import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.stage.MatrixJob;
import dev.topiary.runtime.metrics.MetricNames;
import java.util.Locale;
import java.util.Map;

/** A version (or a gathered set) as one human-readable line. */
final class VersionLine {
    private VersionLine() {}

    static String of(ModelVersion v) {
        Map<String, Double> m = v.getMetrics().getValues();
        StringBuilder b = new StringBuilder();
        b.append(v.getId()).append("  ").append(v.getPipeline().isEmpty() ? "-" : v.getPipeline()).append('/')
                .append(v.getStage()).append("  ").append(v.getOperation().getKind());
        append(b, "acc", m.get(MetricNames.ACCURACY), "%.4f");
        append(b, "params", m.get(MetricNames.PARAMS), "%.0f");
        append(b, "nonzeros", m.get(MetricNames.NONZERO_PARAMS), "%.0f");
        append(b, "macs", m.get(MetricNames.MACS), "%.0f");
        append(b, "bytes", m.get(MetricNames.ARTIFACT_BYTES), "%.0f");
        append(b, "latency", m.get(MetricNames.LATENCY_MS), "%.1fms");
        Double drop = v.getChanges().get(MetricNames.ACCURACY);
        append(b, "Δacc", drop, "%+.4f");
        String matrix = v.getOperation().getParams().get(MatrixJob.PARAM);
        if (matrix != null) {
            b.append("  matrix=").append(matrix);
        }
        if (!v.getParents().isEmpty()) {
            b.append("  parent=").append(String.join(",", v.getParents()));
        }
        return b.toString();
    }

    /** A gathered set: {@code s-...  p/s  COMPLETE 5 of 5 by parent v-...  members=...}. */
    static String of(ModelSet s) {
        StringBuilder b = new StringBuilder();
        b.append(s.getId()).append("  ").append(s.getPipeline()).append('/').append(s.getStage()).append("  ")
                .append(s.getState()).append(' ').append(s.getArrived()).append(" of ").append(s.getExpected());
        if (s.getFailed() > 0) {
            b.append(" (").append(s.getFailed()).append(" failed)");
        }
        b.append(" by ").append(s.getBy()).append(' ').append(s.getKey());
        if (s.getReason() != null) {
            b.append("  (").append(s.getReason()).append(')');
        }
        b.append("  members=").append(String.join(",", s.getMembers().stream().map(ModelVersion::getId).toList()));
        return b.toString();
    }

    private static void append(StringBuilder b, String name, Double value, String format) {
        if (value != null) {
            b.append("  ").append(name).append('=').append(String.format(Locale.ROOT, format, value));
        }
    }
}
