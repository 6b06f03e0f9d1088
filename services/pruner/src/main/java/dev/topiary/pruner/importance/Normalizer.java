package dev.topiary.pruner.importance;

/**
 * Rescales one group's scores so groups can be ranked against each other (global pruning): raw
 * norms grow with fan-in, so without this a wide layer would never lose a neuron. Ranking inside a
 * group is unchanged by every choice. {@code MEAN} is Torch-Pruning's default.
 */
public enum Normalizer {
    NONE,
    MEAN,
    MAX,
    SUM;

    double[] apply(double[] scores) {
        double d = switch (this) {
            case NONE -> 1;
            case MEAN -> java.util.Arrays.stream(scores).average().orElse(1);
            case MAX -> java.util.Arrays.stream(scores).max().orElse(1);
            case SUM -> java.util.Arrays.stream(scores).sum();
        };
        if (d == 0 || !Double.isFinite(d)) {
            return scores.clone();
        }
        double[] out = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = scores[i] / d;
        }
        return out;
    }
}
