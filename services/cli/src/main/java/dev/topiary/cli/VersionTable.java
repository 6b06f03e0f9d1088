package dev.topiary.cli;

import dev.topiary.events.ModelVersion;
import dev.topiary.runtime.metrics.MetricNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The demo's closing table: each version with its measurements and its change against its parent. */
final class VersionTable {
    /** Under 1% is not a change worth a word. */
    private static final double COUNT_CHANGE = 0.01;
    /** Latency of one model varies by about 10% between measurements on a shared machine. */
    private static final double TIMING_CHANGE = 0.15;

    private static final String[] HEADER = {"version", "stage", "op", "accuracy", "params", "nonzeros", "MACs",
            "bytes", "latency ms/1k", "vs parent"};

    private VersionTable() {}

    static String render(List<ModelVersion> versions) {
        return render(List.of(versions), Map.of());
    }

    /**
     * Groups of versions (e.g. one per lineage) under one header, a blank line between groups;
     * {@code notes} by version id are added to the last column (e.g. where a route sent it).
     */
    static String render(List<List<ModelVersion>> groups, Map<String, String> notes) {
        Map<String, ModelVersion> byId = new HashMap<>();
        groups.forEach(g -> g.forEach(v -> byId.put(v.getId(), v)));
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (List<ModelVersion> group : groups) {
            if (rows.size() > 1) {
                rows.add(null);
            }
            for (ModelVersion v : group) {
                Map<String, Double> m = v.getMetrics().getValues();
                ModelVersion parent = reference(v, byId);
                String note = notes.get(v.getId());
                rows.add(new String[] {v.getId(), v.getStage(), v.getOperation().getKind().name(),
                        fmt(m.get(MetricNames.ACCURACY), "%.4f"), fmt(m.get(MetricNames.PARAMS), "%,.0f"),
                        fmt(m.get(MetricNames.NONZERO_PARAMS), "%,.0f"), fmt(m.get(MetricNames.MACS), "%,.0f"),
                        fmt(m.get(MetricNames.ARTIFACT_BYTES), "%,.0f"), fmt(m.get(MetricNames.LATENCY_MS), "%.2f"),
                        change(v, parent) + (note == null ? "" : "  " + note)});
            }
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; row != null && i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            if (row == null) {
                b.append('\n');
                continue;
            }
            for (int i = 0; i < row.length; i++) {
                boolean last = i + 1 == row.length;
                boolean numeric = i >= 3 && !last;
                b.append(last ? row[i] : String.format(Locale.ROOT, (numeric ? "%" : "%-") + widths[i] + "s", row[i]));
                b.append(last ? "\n" : "  ");
            }
        }
        return b.toString();
    }

    /**
     * The parent a version is compared with: its only one, or of several (a merge) the most
     * accurate listed, since which of them comes first is an accident of their ids.
     */
    private static ModelVersion reference(ModelVersion v, Map<String, ModelVersion> byId) {
        List<ModelVersion> listed = v.getParents().stream().map(byId::get).filter(Objects::nonNull).toList();
        if (v.getParents().size() == 1 || listed.isEmpty()) {
            return listed.isEmpty() ? null : listed.get(0);
        }
        return listed.stream().max(Comparator.comparingDouble((ModelVersion p) ->
                p.getMetrics().getValues().getOrDefault(MetricNames.ACCURACY, Double.NEGATIVE_INFINITY))).orElseThrow();
    }

    /** Accuracy in points, sizes as ratios: the way people compare a compressed model to its parent (the best of several). */
    private static String change(ModelVersion v, ModelVersion parent) {
        if (v.getParents().isEmpty()) {
            return "(root)";
        }
        boolean several = v.getParents().size() > 1;
        List<String> parts = new ArrayList<>();
        Double acc = several ? accuracyAgainstBest(v, parent) : v.getChanges().get(MetricNames.ACCURACY);
        if (acc != null) {
            parts.add(String.format(Locale.ROOT, "acc %+.2f pt", acc * 100));
        } else if (parent != null && !parent.getMetrics().getValues().containsKey(MetricNames.ACCURACY)) {
            parts.add("acc (parent untrained)");
        }
        if (parent != null) {
            ratio(parts, "nonzeros", v, parent, MetricNames.NONZERO_PARAMS, "fewer", "more", COUNT_CHANGE);
            ratio(parts, "MACs", v, parent, MetricNames.MACS, "fewer", "more", COUNT_CHANGE);
            ratio(parts, "bytes", v, parent, MetricNames.ARTIFACT_BYTES, "smaller", "larger", COUNT_CHANGE);
            ratio(parts, "speed", v, parent, MetricNames.LATENCY_MS, "faster", "slower", TIMING_CHANGE);
        }
        String text = String.join(", ", parts);
        return several && !text.isEmpty() ? "vs the best parent: " + text : text;
    }

    /** A version of several parents against the most accurate: that parent's accuracy, or the one the runtime recorded. */
    private static Double accuracyAgainstBest(ModelVersion v, ModelVersion best) {
        Map<String, Double> m = v.getMetrics().getValues();
        Double now = m.get(MetricNames.ACCURACY);
        Double then = best != null ? best.getMetrics().getValues().get(MetricNames.ACCURACY) : m.get(MetricNames.BEST_PARENT_ACCURACY);
        return now == null || then == null ? null : now - then;
    }

    private static void ratio(List<String> parts, String label, ModelVersion v, ModelVersion parent, String key,
                              String less, String more, double smallest) {
        Double now = v.getMetrics().getValues().get(key);
        Double before = parent.getMetrics().getValues().get(key);
        if (now == null || before == null || now <= 0 || before <= 0 || Math.abs(now - before) < smallest * before) {
            return;
        }
        double r = before / now;
        parts.add(r >= 1 ? String.format(Locale.ROOT, "%s %.2fx %s", label, r, less)
                : String.format(Locale.ROOT, "%s %.2fx %s", label, 1 / r, more));
    }

    private static String fmt(Double value, String format) {
        return value == null ? "-" : String.format(Locale.ROOT, format, value);
    }
}
