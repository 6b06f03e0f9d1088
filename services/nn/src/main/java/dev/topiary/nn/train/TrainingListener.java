package dev.topiary.nn.train;

/**
 * Hears how training goes and may stop it. Epochs and batches are numbered from 1. The trainer
 * calls {@link #onBatch} at most about once a second (so a listener may publish every call) and
 * {@link #onEpoch} after every epoch (and after the part of one that an accuracy target ended);
 * it asks {@link #cancelled} before every batch.
 */
public interface TrainingListener {
    /** A listener that hears nothing and never cancels. */
    TrainingListener NONE = new TrainingListener() {};

    /**
     * @param loss mean training loss of the epoch's batches so far
     * @param etaSeconds estimated seconds to the end of the planned epochs, from the mean step time
     */
    default void onBatch(int epoch, int epochs, int batch, int batches, double loss, double etaSeconds) {}

    /**
     * @param validationLoss loss on the holdout; null when the holdout was not scored (no early stopping
     *        and no accuracy target), or for a partial epoch ended by an accuracy target
     * @param validationAccuracy accuracy on the holdout; null when it was not scored
     */
    default void onEpoch(int epoch, int epochs, double trainLoss, Double validationLoss, Double validationAccuracy) {}

    /** True to stop training before the next batch; {@link Trainer#fit} then throws. */
    default boolean cancelled() {
        return false;
    }
}
