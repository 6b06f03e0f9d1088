package dev.topiary.surgery.layers;

/**
 * What a layer or vertex does to the channels flowing through it: all the dependency graph needs
 * to know which channels of which layers must change together.
 */
public enum Channels {
    /** Creates a new channel space of its own width ({@code nOut}): Dense, Output, Convolution. */
    PRODUCER,
    /** Its output channels are its input channels, one for one: pooling, BatchNorm, dropout, activation. */
    PASS_THROUGH,
    /** Reads several inputs whose channels it combines one for one (an element-wise add): ties them. */
    TIED,
    /** Its output is its inputs' channels one after the other (a merge along the channel axis). */
    CONCATENATED,
    /** A type no rules are registered for: only metrics and summaries look at such a node. */
    OPAQUE
}
