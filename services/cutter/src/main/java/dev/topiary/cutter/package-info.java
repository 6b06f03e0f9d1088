/**
 * Cutting DL4J networks, as plain functions (no Kafka) plus the {@code cut} service kind:
 * {@link dev.topiary.cutter.Cutting} is the one entry point, driven by a {@link dev.topiary.cutter.CutSpec}.
 *
 * <p>Where pruning thins a layer, cutting takes it out: {@link dev.topiary.cutter.CutUnit} says what a
 * model offers (residual blocks, else same-shape layers), {@link dev.topiary.cutter.Selection} chooses by a
 * {@link dev.topiary.cutter.Criterion} scored on holdout rows, {@link dev.topiary.cutter.CutEditor} edits
 * the network through {@code services/surgery} (with a {@link dev.topiary.cutter.LinearBridge} when
 * asked), and nn's {@code recovery} heals it. {@code bench.CutBenchmark} measures it on Fashion-MNIST.
 */
package dev.topiary.cutter;
