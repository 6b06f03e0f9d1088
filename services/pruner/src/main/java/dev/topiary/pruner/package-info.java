/**
 * Pruning of DL4J networks, as plain functions (no Kafka): {@link dev.topiary.pruner.Pruning} is
 * the one entry point, driven by a {@link dev.topiary.pruner.PruneSpec}.
 *
 * <p>Laid out like Torch-Pruning, one idea per package:
 * <ul>
 *   <li>{@code graph}: the network as a graph and the dependency groups, which layers change
 *       together when a channel goes (residual adds, BatchNormalization, flattening);
 *   <li>{@code importance}: how channels are ranked (L1/L2, activation, APoZ, Taylor);
 *   <li>{@code structured}: how many channels each group keeps for a target, and the rebuild of the
 *       smaller network; {@code unstructured}: magnitude pruning of single weights and its mask;
 *   <li>{@code schedule}: when and how much (one-shot, AGP between fine-tuning runs, or gradual
 *       within one run), fine-tuning (optionally distilled from the parent), and the search for the
 *       most pruning within an accuracy budget.
 * </ul>
 * {@link dev.topiary.nn.model.CompactArtifact} writes the small artifact a sparse model deserves, and
 * {@code bench.PruneBenchmark} measures all of it on Fashion-MNIST.
 */
package dev.topiary.pruner;
