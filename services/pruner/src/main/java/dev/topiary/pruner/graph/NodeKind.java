package dev.topiary.pruner.graph;

/**
 * What a node does to the channels flowing through it, which is all the dependency graph needs.
 *
 * <p>Producers (Dense, Output, Convolution) create a new channel space with their {@code nOut};
 * pass-throughs (Subsampling, BatchNormalization, Dropout, Activation) keep their input's channels;
 * an element-wise vertex ties the channels of all its inputs together.
 */
public enum NodeKind {
    INPUT(false, false),
    DENSE(true, false),
    OUTPUT(true, false),
    CONVOLUTION(true, false),
    SUBSAMPLING(false, true),
    BATCH_NORMALIZATION(false, true),
    DROPOUT(false, true),
    ACTIVATION(false, true),
    ELEMENT_WISE(false, false);

    private final boolean producer;
    private final boolean passThrough;

    NodeKind(boolean producer, boolean passThrough) {
        this.producer = producer;
        this.passThrough = passThrough;
    }

    /** Has a weight matrix whose output side defines a new set of channels. */
    public boolean producer() {
        return producer;
    }

    /** Output channels are the input channels, one for one. */
    public boolean passThrough() {
        return passThrough;
    }

    /** Holds weights whose pruning is meaningful (magnitude pruning works on these). */
    public boolean hasWeights() {
        return producer;
    }
}
