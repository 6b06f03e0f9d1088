package dev.topiary.pruner.schedule;

/**
 * When pruning happens: all at once, or gradually with Zhu &amp; Gupta's automated gradual pruning
 * (AGP, 2017), {@code s_t = s_f + (s_i - s_f)(1 - t/n)^3} with {@code s_i = 0}: large steps while
 * the network has many redundant weights, ever smaller ones as it has fewer.
 *
 * <p>{@code AGP} takes its {@code steps} between separate fine-tuning runs, so the network
 * recovers before the next cut. {@code GRADUAL} takes them inside one training run, a few
 * optimizer steps apart ({@link PruningDuringTraining}): many small cuts, each absorbed by the
 * steps that follow, which matters at high sparsity where a few large cuts lose more than the
 * fine-tuning between them wins back.
 */
public record Schedule(Kind kind, int steps) {
    public enum Kind { ONESHOT, AGP, GRADUAL }

    public Schedule {
        if (steps < 1) {
            throw new IllegalArgumentException("parameter 'steps' must be at least 1, got " + steps);
        }
        if (kind == Kind.ONESHOT) {
            steps = 1;
        }
    }

    public static Schedule agp(int steps) {
        return new Schedule(Kind.AGP, steps);
    }

    /** AGP with its {@code steps} mask updates spread over one training run. */
    public static Schedule gradual(int steps) {
        return new Schedule(Kind.GRADUAL, steps);
    }

    /** Fraction of the final amount reached after step {@code t} (1-based); 1 at the last step. */
    public double progress(int t) {
        if (t < 1 || t > steps) {
            throw new IllegalArgumentException("step " + t + " outside 1.." + steps);
        }
        double remaining = 1.0 - (double) t / steps;
        return 1.0 - remaining * remaining * remaining;
    }
}
