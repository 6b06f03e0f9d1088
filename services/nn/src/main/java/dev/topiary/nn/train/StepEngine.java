package dev.topiary.nn.train;

/**
 * Performs the optimisation steps of one fit on the current epoch's batches. Two exist: DL4J's
 * own {@code fit} for any network, and a dense-network engine that computes the same step several
 * times faster for plain MLPs (see {@link DenseStepEngine}).
 */
interface StepEngine {

    /**
     * One parameter update on this batch at this learning rate; returns the batch's mean loss
     * before the update, without the weight-decay penalty.
     */
    double step(EpochBatches.Batch batch, double learningRate);

    /** After the last step: leaves the network's own state as DL4J's {@code fit} would have. */
    default void finish() {}

    /** Name for logs and benchmark output. */
    String name();
}
