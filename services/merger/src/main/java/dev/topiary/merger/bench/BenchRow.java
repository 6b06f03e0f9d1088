package dev.topiary.merger.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One result of the merge benchmark: a name, the method, the test accuracy, and the measurements
 * that apply to it ({@code maxAbsDiff}, {@code speedup}, {@code bestIngredientAccuracy},
 * {@code barrier}, ...), in the order they were added.
 */
public record BenchRow(String name, String method, double accuracy, Map<String, Double> values) {

    public BenchRow {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String toJson() {
        String extra = values.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, ",\"%s\":%s", e.getKey(), number(e.getValue())))
                .collect(Collectors.joining());
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"method\":\"%s\",\"accuracy\":%.6f%s}", name, method, accuracy, extra);
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }
}
