package dev.topiary.cutter.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One result of the cut benchmark.
 *
 * @param cut the removed units, empty for a baseline or a control trained from scratch
 * @param accuracyBeforeHeal test accuracy of the cut model before healing (NaN where nothing was cut)
 * @param speedup baseline latency divided by this model's, both measured back to back in one run
 * @param finetuneEpochs healing epochs (for a control: all the epochs it was trained)
 */
public record CutBenchRow(
        String name,
        String model,
        String criterion,
        List<String> cut,
        double accuracy,
        double baselineAccuracy,
        double accuracyBeforeHeal,
        long params,
        long macs,
        double latencyMs,
        double speedup,
        int finetuneEpochs) {

    public CutBenchRow {
        cut = List.copyOf(cut);
    }

    public double drop() {
        return baselineAccuracy - accuracy;
    }

    public String toJson() {
        String units = cut.stream().map(u -> "\"" + u + "\"").collect(Collectors.joining(",", "[", "]"));
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"model\":\"%s\",\"criterion\":\"%s\",\"cut\":%s,\"accuracy\":%.6f,"
                        + "\"baselineAccuracy\":%.6f,\"accuracyBeforeHeal\":%s,\"params\":%d,\"macs\":%d,\"latencyMs\":%.4f,"
                        + "\"speedup\":%.4f,\"finetuneEpochs\":%d}",
                name, model, criterion, units, accuracy, baselineAccuracy,
                Double.isNaN(accuracyBeforeHeal) ? "null" : String.format(Locale.ROOT, "%.6f", accuracyBeforeHeal),
                params, macs, latencyMs, speedup, finetuneEpochs);
    }
}
