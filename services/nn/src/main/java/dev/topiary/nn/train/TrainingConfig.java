package dev.topiary.nn.train;

import java.util.Locale;
import java.util.Objects;

/**
 * How {@link Trainer} trains: the same settings whether the network is new or already trained.
 *
 * @param epochs passes over the training rows (at most; early stopping may end sooner)
 * @param batchSize rows per parameter update
 * @param learningRate the peak rate; {@link #schedule} moves it from there
 * @param updater {@code adam} (Adam with DL4J's defaults beta1 0.9, beta2 0.999, epsilon 1e-8) or
 *        {@code sgd} (Nesterov momentum with {@link #momentum}; plain SGD when momentum is 0)
 * @param momentum Nesterov momentum for {@code sgd}; ignored by Adam
 * @param weightDecay decoupled weight decay on weights (not biases): each step also subtracts
 *        {@code learningRate * weightDecay * w}, i.e. AdamW with Adam and L2 with plain SGD
 *        (DL4J's {@code WeightDecay} with {@code applyLR = true})
 * @param seed seeds the shuffle of every epoch and DL4J's own random numbers
 *        (dropout): the same seed and the same input network give the same weights
 * @param patience epochs without a new best loss on the data set's holdout before stopping, then
 *        the best weights are restored; 0 turns early stopping off (and the holdout is not scored)
 * @param schedule how the rate moves over the run; the eight-argument constructor uses
 *        {@link LearningRateSchedule#COSINE}
 * @param schedulePart which epochs of a longer planned run this fit is ({@link SchedulePart}):
 *        the schedule then spans that run, not only this fit; {@link SchedulePart#WHOLE} by default
 * @param target stop at the first holdout check whose accuracy reaches a target, keeping those
 *        weights ({@link AccuracyTarget}: checked once an epoch or more often);
 *        {@link AccuracyTarget#NONE} by default
 * @param augmentation random changes to the training images ({@link Augmentation}); for image data
 *        only, {@link Augmentation#NONE} by default
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, String updater, double momentum,
                             double weightDecay, long seed, int patience, LearningRateSchedule schedule,
                             SchedulePart schedulePart, AccuracyTarget target, Augmentation augmentation) {

    public static final String ADAM = "adam";
    public static final String SGD = "sgd";

    public TrainingConfig {
        Objects.requireNonNull(updater, "updater");
        updater = updater.toLowerCase(Locale.ROOT);
        schedule = schedule == null ? LearningRateSchedule.COSINE : schedule;
        schedulePart = schedulePart == null ? SchedulePart.WHOLE : schedulePart;
        target = target == null ? AccuracyTarget.NONE : target;
        augmentation = augmentation == null ? Augmentation.NONE : augmentation;
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be positive, got " + learningRate);
        require(updater.equals(ADAM) || updater.equals(SGD), "updater must be adam or sgd, got " + updater);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay must be zero or positive, got " + weightDecay);
        require(patience >= 0, "patience must be 0 (no early stopping) or positive, got " + patience);
        require(schedulePart.isWhole() || schedulePart.epochsBefore() + epochs <= schedulePart.epochsTotal(),
                "schedulePart: epochs " + schedulePart.epochsBefore() + " to " + (schedulePart.epochsBefore() + epochs)
                        + " do not fit in a planned run of " + schedulePart.epochsTotal());
    }

    /** The settings without a schedule named: cosine decay. */
    public TrainingConfig(int epochs, int batchSize, double learningRate, String updater, double momentum,
                          double weightDecay, long seed, int patience) {
        this(epochs, batchSize, learningRate, updater, momentum, weightDecay, seed, patience, LearningRateSchedule.COSINE,
                SchedulePart.WHOLE, AccuracyTarget.NONE, Augmentation.NONE);
    }

    /**
     * 10 epochs of Adam at 1e-3 with cosine decay, batch 128, weight decay 0.01, seed 42, no
     * early stopping: 88.5-89% test accuracy for the 784-300-100-10 MLP on
     * Fashion-MNIST.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(10, 128, 1e-3, ADAM, 0.9, 0.01, 42L, 0, LearningRateSchedule.COSINE, SchedulePart.WHOLE, AccuracyTarget.NONE,
                Augmentation.NONE);
    }

    public TrainingConfig withEpochs(int value) {
        return new TrainingConfig(value, batchSize, learningRate, updater, momentum, weightDecay, seed, patience,
                schedule, schedulePart, target, augmentation);
    }

    public TrainingConfig withBatchSize(int value) {
        return new TrainingConfig(epochs, value, learningRate, updater, momentum, weightDecay, seed, patience,
                schedule, schedulePart, target, augmentation);
    }

    public TrainingConfig withLearningRate(double value) {
        return new TrainingConfig(epochs, batchSize, value, updater, momentum, weightDecay, seed, patience,
                schedule, schedulePart, target, augmentation);
    }

    /** {@code adam}, or {@code sgd} with this Nesterov momentum. */
    public TrainingConfig withUpdater(String value, double momentumValue) {
        return new TrainingConfig(epochs, batchSize, learningRate, value, momentumValue, weightDecay, seed, patience,
                schedule, schedulePart, target, augmentation);
    }

    public TrainingConfig withWeightDecay(double value) {
        return new TrainingConfig(epochs, batchSize, learningRate, updater, momentum, value, seed, patience,
                schedule, schedulePart, target, augmentation);
    }

    public TrainingConfig withSeed(long value) {
        return new TrainingConfig(epochs, batchSize, learningRate, updater, momentum, weightDecay, value, patience,
                schedule, schedulePart, target, augmentation);
    }

    /** Early stopping after {@code value} epochs without improvement on the data set's holdout. */
    public TrainingConfig withEarlyStopping(int value) {
        return new TrainingConfig(epochs, batchSize, learningRate, updater, momentum, weightDecay, seed, value, schedule, schedulePart,
                target, augmentation);
    }

    public TrainingConfig withSchedule(LearningRateSchedule value) {
        return new TrainingConfig(epochs, batchSize, learningRate, updater, momentum, weightDecay, seed, patience,
                value, schedulePart, target, augmentation);
    }

    /**
     * This fit is epochs {@code epochsBefore + 1} to {@code epochsBefore + epochs} of a planned run
     * of {@code epochsTotal} epochs: the schedule spans the planned run.
     */
    public TrainingConfig withSchedulePart(int epochsBefore, int epochsTotal) {
        return new TrainingConfig(epochs, batchSize, learningRate, updater, momentum, weightDecay, seed, patience,
                schedule, new SchedulePart(epochsBefore, epochsTotal), target, augmentation);
    }

    /** Stop once an epoch ends at {@code value} accuracy or more on the data set's holdout; 0 turns it off. */
    public TrainingConfig withTargetAccuracy(double value) {
        return withTarget(new AccuracyTarget(value, 1));
    }

    /** Stop at the first holdout check reaching the target's accuracy. */
    public TrainingConfig withTarget(AccuracyTarget value) {
        return new TrainingConfig(epochs, batchSize, learningRate, updater, momentum, weightDecay, seed, patience,
                schedule, schedulePart, value, augmentation);
    }

    /** Train on randomly changed images ({@link Augmentation#NONE} for the rows as they are). */
    public TrainingConfig withAugmentation(Augmentation value) {
        return new TrainingConfig(epochs, batchSize, learningRate, updater, momentum, weightDecay, seed, patience,
                schedule, schedulePart, target, value);
    }

    /**
     * The rate for step {@code step} (0-based) of this fit's {@code totalSteps} (its epochs times
     * the batches of an epoch); within a {@link SchedulePart}, the step's place in the planned run.
     */
    public double learningRateAt(long step, long totalSteps) {
        if (schedulePart.isWhole()) {
            return learningRate * schedule.factor(step, totalSteps);
        }
        long perEpoch = totalSteps / epochs;
        return learningRate * schedule.factor(schedulePart.epochsBefore() * perEpoch + step,
                schedulePart.epochsTotal() * perEpoch);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
