package dev.topiary.grower.bench;

import dev.topiary.nn.train.Augmentation;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One result of the grow benchmark: {@code name}, {@code method}, {@code model}, and the numbers
 * that apply to it (exactness: {@code maxAbsDiff}, {@code samePredictions}; compute saved:
 * {@code accuracy}, {@code scratchAccuracy}, {@code flops}, {@code scratchFlops}, {@code seconds},
 * {@code scratchSeconds}, {@code parentAccuracy}, {@code holdoutAccuracy}). Absent numbers are left out of the JSON.
 */
public record GrowBenchRow(String name, String method, String model, Map<String, Double> values) {

    public GrowBenchRow {
        values = new LinkedHashMap<>(values);
    }

    public String toJson() {
        String numbers = values.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, ",\"%s\":%s", e.getKey(), number(e.getValue())))
                .collect(Collectors.joining());
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"method\":\"%s\",\"model\":\"%s\"%s}", name, method, model, numbers);
    }

    /** {@code method}, ending with how the training images were changed where they were: {@code "..., augment flip"}. */
    static String augmented(String method, Augmentation augmentation) {
        return augmentation.isSet() ? method + ", augment " + augmentation : method;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
