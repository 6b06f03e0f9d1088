package dev.topiary.nn.train;

/**
 * What one {@link Trainer#fit} did. Losses are the mean loss of the network's output layer
 * (cross-entropy for a softmax classifier) without the weight-decay penalty that DL4J's
 * {@code score()} adds: with decoupled weight decay that penalty is not what is minimised, and
 * at weight decay 0.01 it is ten times the cross-entropy, which would hide the trend.
 *
 * @param epochsRun epochs actually run (fewer than planned when early stopping fired), the last
 *        one only in part when an {@link AccuracyTarget} was reached within it ({@link #samplesSeen} says how far)
 * @param finalTrainLoss mean training loss over the batches of the last epoch run (those run, if it stopped within it)
 * @param bestValidationLoss the lowest loss on the holdout seen, or null without early stopping (the holdout is scored only then)
 * @param bestEpoch the epoch (from 1) of that loss, or 0 without early stopping
 * @param seconds wall time of the whole fit, validation included
 * @param samplesSeen training rows pushed through the network, counting repeats
 */
public record TrainingResult(int epochsRun, double finalTrainLoss, Double bestValidationLoss, int bestEpoch,
                             double seconds, long samplesSeen) {

    public double samplesPerSecond() {
        return seconds > 0 ? samplesSeen / seconds : 0;
    }
}
