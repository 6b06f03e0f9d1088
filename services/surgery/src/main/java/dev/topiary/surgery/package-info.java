/**
 * Network surgery on DL4J networks, as plain functions with no Kafka in them: what pruning, cutting,
 * merging and growing all stand on.
 *
 * <ul>
 *   <li>{@code graph}: {@link dev.topiary.surgery.graph.Network}, the one adapter over
 *       MultiLayerNetwork and ComputationGraph; {@link dev.topiary.surgery.graph.NetworkView}, a
 *       network as nodes in topological order; {@link dev.topiary.surgery.graph.InputShape}, what
 *       rows a network reads; {@link dev.topiary.surgery.graph.DependencyGraph}, which channels
 *       change together; residual blocks and same-shape layers.
 *   <li>{@code layers}: one class per supported DL4J layer or vertex type holding every rule of
 *       that type (channel axes, parameter indexing, widths, MACs), looked up in
 *       {@link dev.topiary.surgery.layers.LayerRegistry}; a type not in it is refused by name.
 *   <li>{@code index}: index maps on channel groups (keep, repeat with consumer rescaling, permute),
 *       applied to producers, their BatchNormalization and every consumer.
 *   <li>{@code edit}: node edits (remove and rewire, insert after a node, replace a run of layers,
 *       insert a residual block), each checking shapes and returning an ordinary network.
 *   <li>{@code macs}: the one MAC counter, for metrics and for width planning.
 * </ul>
 */
package dev.topiary.surgery;
