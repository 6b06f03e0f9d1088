package dev.topiary.cutter;

import java.util.Locale;

/**
 * How the units to cut are chosen. The two similarity scores compare a unit's input and output
 * activations on holdout rows: a unit that barely changes what passes through it does little.
 * {@code loss} measures instead, and {@code last} is the baseline that measures nothing.
 */
public enum Criterion {
    /** Mean angular distance {@code arccos(cos(x, f(x))) / pi} (Gromov et al. 2024); lowest is cut first. */
    ANGULAR(true),
    /** ShortGPT's Block Influence, {@code 1 - mean cos(x, f(x))}; lowest is cut first. */
    COSINE(true),
    /** Greedy, as SLEB: remove each remaining candidate in turn, keep the cut whose holdout loss is lowest, repeat. */
    LOSS(false),
    /** Deepest first; the score is the unit's depth counted from the output (1 for the last unit). */
    LAST(false);

    private final boolean similarity;

    Criterion(boolean similarity) {
        this.similarity = similarity;
    }

    /** True when the score compares activations (and so needs a unit's input and output of one shape). */
    public boolean similarity() {
        return similarity;
    }

    /** The name pipelines use, also the metric's short name ({@code cut.angular}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
