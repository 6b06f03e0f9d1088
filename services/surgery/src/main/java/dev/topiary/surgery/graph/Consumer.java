package dev.topiary.surgery.graph;

/**
 * A layer whose input weights are indexed by a group's channels, so it loses, repeats or reorders
 * weight rows when the group's channels change.
 *
 * @param node the consuming layer (Dense, Output, Convolution, ...)
 * @param source the node whose output it reads (it also reads through any preprocessor)
 * @param block input rows per channel (see {@link Segment#block()})
 * @param offset the first of the consumer's input rows that belong to this group: 0, unless the
 *     consumer reads a concatenation in which earlier segments come first
 */
public record Consumer(String node, String source, int block, int offset) {
}
