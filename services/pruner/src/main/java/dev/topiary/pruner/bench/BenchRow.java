package dev.topiary.pruner.bench;

import java.util.Locale;

/**
 * One result of the pruning benchmark.
 *
 * @param sparsity share of the baseline's parameters that are gone, removed or zero:
 *     {@code 1 - nonzeroParams / baseline params}, the same meaning for both methods
 * @param speedup baseline latency divided by this model's, both measured back to back in one run
 */
public record BenchRow(
        String name,
        String method,
        double sparsity,
        double accuracy,
        double baselineAccuracy,
        long params,
        long nonzeroParams,
        long macs,
        long baselineMacs,
        long artifactBytes,
        double latencyMs,
        double speedup) {

    public String toJson() {
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"method\":\"%s\",\"sparsity\":%.6f,\"accuracy\":%.6f,"
                        + "\"baselineAccuracy\":%.6f,\"params\":%d,\"nonzeroParams\":%d,\"macs\":%d,\"baselineMacs\":%d,"
                        + "\"artifactBytes\":%d,\"latencyMs\":%.4f,\"speedup\":%.4f}",
                name, method, sparsity, accuracy, baselineAccuracy, params, nonzeroParams, macs, baselineMacs,
                artifactBytes, latencyMs, speedup);
    }
}
