/**
 * Pruning of DL4J networks, as plain functions (no Kafka): {@link dev.topiary.pruner.Pruning} is
 * the one entry point, driven by a {@link dev.topiary.pruner.PruneSpec}.
 *
 * <p>Laid out like Torch-Pruning, one idea per package, on top of {@code services/surgery} (which
 * channels change together, the rebuild of the smaller network, MACs) and nn's {@code recovery}
 * (fine-tuning, distillation, the accuracy-budget search):
 * <ul>
 *   <li>{@code importance}: how channels are ranked (L1/L2, activation, APoZ, Taylor);
 *   <li>{@code selection}: how many channels each group keeps for a target, and which (keep maps);
 *   <li>{@code schedule}: when and how much (one-shot, AGP between fine-tuning runs, or gradual
 *       within one run);
 *   <li>{@code unstructured}: magnitude pruning of single weights and its mask.
 * </ul>
 * {@link dev.topiary.nn.model.CompactArtifact} writes the small artifact a sparse model deserves, and
 * {@code bench.PruneBenchmark} measures all of it on Fashion-MNIST.
 */
package dev.topiary.pruner;
