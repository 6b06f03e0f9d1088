package dev.topiary.pruner.graph;

/**
 * A layer whose input weights are indexed by a group's channels, so it loses weight rows when a
 * channel goes.
 *
 * @param node the consuming layer (Dense, Output or Convolution)
 * @param source the node whose output it reads (it also reads through any preprocessor)
 * @param block input rows per channel: 1 normally; {@code H*W} when the layer reads a convolution's
 *     output through a {@code CnnToFeedForwardPreProcessor}, which flattens NCHW as
 *     {@code c*H*W + h*W + w}, so channel {@code c} owns the rows {@code [c*H*W, (c+1)*H*W)}
 */
public record Consumer(String node, String source, int block) {
}
