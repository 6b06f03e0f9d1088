package dev.topiary.pruner.importance;

import java.util.Locale;

/** The criteria a pipeline can name, with the settings the pruner uses for each. */
public final class Importances {
    private Importances() {
    }

    /**
     * {@code l1}/{@code l2}: norm of the channel's weights and bias; {@code activation}: mean
     * |activation|; {@code apoz}: 1 - average percentage of zeros; {@code taylor}: first-order
     * Taylor. Group members are summed; scores are mean-normalized per group for global ranking.
     */
    public static Importance named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "l1" -> new MagnitudeImportance(1, true, Reduction.SUM, Normalizer.MEAN);
            case "l2" -> new MagnitudeImportance(2, true, Reduction.SUM, Normalizer.MEAN);
            case "activation" -> new ActivationImportance(ActivationImportance.Statistic.MEAN_ABS, 128, Reduction.SUM, Normalizer.MEAN);
            case "apoz" -> new ActivationImportance(ActivationImportance.Statistic.APOZ, 128, Reduction.SUM, Normalizer.MEAN);
            case "taylor" -> new TaylorImportance(32, Reduction.SUM, Normalizer.MEAN);
            default -> throw new IllegalArgumentException("parameter 'importance' must be one of l1, l2, activation, apoz, taylor, got '" + name + "'");
        };
    }
}
