package dev.topiary.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The numbers of one {@code topiary bench train} run. FLOP counts are the conventional 6 x weights
 * per training sample (2 forward, 4 backward) for the 784-300-100-10 MLP, so they measure the
 * useful work; efficiency is that rate over ND4J's own large-GEMM rate measured in the same run.
 *
 * @param weights weights without biases (266,200), the count the 6 x weights FLOP convention uses
 * @param secondsPerEpoch mean wall time of an epoch over all epochs (shuffle included)
 * @param gemmFlops median FLOP/s of ND4J's 2048 x 2048 float GEMM, measured before and after training
 * @param trainFlops 6 x weights x samples per epoch / secondsPerEpoch
 * @param efficiency trainFlops / gemmFlops
 * @param engine the step engine that trained ({@code dense} or {@code dl4j-fit})
 * @param blasThreads OpenBLAS threads while training (the GEMM baseline uses ND4J's own setting)
 * @param idealSecondsPerEpoch the epoch time if every training FLOP ran at the GEMM baseline rate
 * @param dl4jFitSecondsPerEpoch the same epoch through DL4J's own {@code fit}, extrapolated from
 *        a sample of steps, as the reference this loop is measured against
 */
public record TrainBenchmarkResult(String benchmark, String model, int epochs, int batchSize, String dataset, int samplesPerEpoch,
                                   long weights, double secondsPerEpoch, double samplesPerSecond, double testAccuracy,
                                   double gemmFlops, double trainFlops, double efficiency, String engine,
                                   int blasThreads, double idealSecondsPerEpoch, double dl4jFitSecondsPerEpoch) {

    /** One JSON object; the keys {@code benchmark ... efficiency} are the ones the project's records compare. */
    public String toJson() {
        return "{"
                + field("benchmark", quote(benchmark)) + ","
                + field("epochs", Integer.toString(epochs)) + ","
                + field("batchSize", Integer.toString(batchSize)) + ","
                + field("secondsPerEpoch", number(secondsPerEpoch)) + ","
                + field("samplesPerSecond", number(samplesPerSecond)) + ","
                + field("testAccuracy", number(testAccuracy)) + ","
                + field("gemmFlops", number(gemmFlops)) + ","
                + field("trainFlops", number(trainFlops)) + ","
                + field("efficiency", number(efficiency)) + ","
                + field("model", quote(model)) + ","
                + field("dataset", quote(dataset)) + ","
                + field("samplesPerEpoch", Integer.toString(samplesPerEpoch)) + ","
                + field("weights", Long.toString(weights)) + ","
                + field("engine", quote(engine)) + ","
                + field("blasThreads", Integer.toString(blasThreads)) + ","
                + field("idealSecondsPerEpoch", number(idealSecondsPerEpoch)) + ","
                + field("dl4jFitSecondsPerEpoch", number(dl4jFitSecondsPerEpoch))
                + "}";
    }

    /** The human-readable table {@code topiary bench train} prints. */
    public void printTable(PrintStream out) {
        out.println("train benchmark: " + model + " on " + dataset);
        row(out, "epochs x batch", epochs + " x " + batchSize + " (" + samplesPerEpoch + " samples/epoch)");
        row(out, "engine", engine + ", " + blasThreads + " BLAS thread(s) while training");
        row(out, "seconds / epoch", String.format(Locale.ROOT, "%.3f", secondsPerEpoch));
        row(out, "samples / s", String.format(Locale.ROOT, "%.0f", samplesPerSecond));
        row(out, "ms / batch", String.format(Locale.ROOT, "%.3f", 1000 * secondsPerEpoch * batchSize / samplesPerEpoch));
        row(out, "test accuracy", String.format(Locale.ROOT, "%.4f", testAccuracy));
        row(out, "GEMM 2048^3 (ND4J)", String.format(Locale.ROOT, "%.1f GFLOP/s", gemmFlops / 1e9));
        row(out, "training", String.format(Locale.ROOT, "%.1f GFLOP/s (6 x %d weights x samples)", trainFlops / 1e9, weights));
        row(out, "efficiency", String.format(Locale.ROOT, "%.3f", efficiency));
        row(out, "GEMM-bound epoch", String.format(Locale.ROOT, "%.3f s", idealSecondsPerEpoch));
        row(out, "DL4J fit epoch", Double.isNaN(dl4jFitSecondsPerEpoch) ? "not measured"
                : String.format(Locale.ROOT, "%.3f s (%.1fx slower)", dl4jFitSecondsPerEpoch, dl4jFitSecondsPerEpoch / secondsPerEpoch));
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf(Locale.ROOT, "  %-20s %s%n", name, value);
    }

    private static String field(String name, String value) {
        return quote(name) + ":" + value;
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }

    private static String quote(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
