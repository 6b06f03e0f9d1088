package dev.topiary.nn.train;

/**
 * "Train until the holdout accuracy reaches this": the fit stops at the first check whose holdout
 * accuracy is at least {@code accuracy} and keeps those weights. A check once an epoch lets a
 * budgeted run overshoot by up to a whole epoch (a wide network's epoch can be a tenth of the
 * budget), so the holdout can be checked several times an epoch, at evenly spaced steps. Each
 * check is one forward pass over the holdout: a ninth as many rows as an epoch trains on, forward
 * only, so about 4% of an epoch's arithmetic.
 *
 * @param accuracy the holdout accuracy to reach, in (0, 1]; 0 means no target ({@link #NONE})
 * @param checksPerEpoch how often an epoch scores the holdout for it, 1 (at the epoch's end) or more
 */
public record AccuracyTarget(double accuracy, int checksPerEpoch) {
    /** No target: the fit runs its epochs (and early stopping, if any). */
    public static final AccuracyTarget NONE = new AccuracyTarget(0, 1);

    public AccuracyTarget {
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("targetAccuracy must be in [0, 1] (0: off), got " + accuracy);
        }
        if (checksPerEpoch < 1) {
            throw new IllegalArgumentException("target checks per epoch must be at least 1, got " + checksPerEpoch);
        }
    }

    public boolean isSet() {
        return accuracy > 0;
    }

    /**
     * Whether the holdout is scored after batch {@code batch} (0-based) of an epoch of
     * {@code batches}: after the last batch, and after every batch that ends one of the
     * {@code checksPerEpoch} equal stretches of the epoch (at most one check per batch).
     */
    public boolean checkAfter(int batch, int batches) {
        return isSet() && (batch + 1L) * checksPerEpoch / batches > (long) batch * checksPerEpoch / batches;
    }
}
