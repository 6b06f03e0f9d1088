package dev.topiary.pruner.unstructured;

import dev.topiary.surgery.graph.NetworkView;
import dev.topiary.surgery.graph.Node;
import dev.topiary.surgery.layers.Channels;
import dev.topiary.surgery.layers.ParamAxes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Unstructured magnitude pruning (Han et al., 2015): the weights with the smallest |w| are set to
 * zero. Only the weight matrices of Dense, Output and Convolution layers are pruned (see
 * {@link PruningMask} for why not biases or BatchNormalization).
 *
 * <p>{@code LAYER} scope removes the target fraction from every layer; {@code GLOBAL} ranks all
 * weights together, so layers with many small weights (usually the widest) lose more. Per-layer
 * overrides take their layers out of the global ranking and prune them at their own fraction.
 * Exactly {@code round(fraction * count)} weights go, ties broken by position, and weights already
 * zero are the smallest, so a gradual schedule never revives a pruned weight.
 *
 * <pre>{@code
 * PruningMask mask = new MagnitudePruner(Scope.GLOBAL, 0.9, Map.of("layer2", 0.5)).prune(model);
 * trainer.fit(model, data, listener, mask::apply);   // keeps pruned weights at zero
 * }</pre>
 */
public final class MagnitudePruner {
    public enum Scope { LAYER, GLOBAL }

    private final Scope scope;
    private final double sparsity;
    private final Map<String, Double> overrides;

    public MagnitudePruner(Scope scope, double sparsity, Map<String, Double> overrides) {
        check("sparsity", sparsity);
        overrides.forEach((k, v) -> check("layers." + k, v));
        this.scope = scope;
        this.sparsity = sparsity;
        this.overrides = Map.copyOf(overrides);
    }

    /** Zeroes the smallest weights of {@code model} in place and returns the mask that keeps them zero. */
    public PruningMask prune(Model model) {
        NetworkView view = NetworkView.of(model, "prune");
        Map<String, INDArray> weights = prunableWeights(view);
        for (String layer : overrides.keySet()) {
            if (!weights.containsKey(layer)) {
                throw new IllegalArgumentException("parameter 'layers': no prunable layer named '" + layer
                        + "' (prunable: " + weights.keySet() + ")");
            }
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        weights.forEach((k, w) -> values.put(k, w.dup('c').data().asDouble()));
        Map<String, boolean[]> pruned = new LinkedHashMap<>();
        values.forEach((k, v) -> pruned.put(k, new boolean[v.length]));
        List<String> pool = new ArrayList<>();
        for (String layer : weights.keySet()) {
            if (overrides.containsKey(layer) || scope == Scope.LAYER) {
                double s = overrides.getOrDefault(layer, sparsity);
                zeroSmallest(List.of(layer), values, pruned, s);
            } else {
                pool.add(layer);
            }
        }
        if (!pool.isEmpty()) {
            zeroSmallest(pool, values, pruned, sparsity);
        }
        Map<String, INDArray> masks = new LinkedHashMap<>();
        pruned.forEach((layer, p) -> {
            INDArray w = weights.get(layer);
            double[] keep = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                keep[i] = p[i] ? 0 : 1;
            }
            masks.put(layer, Nd4j.create(keep, w.shape(), 'c').castTo(w.dataType()));
        });
        PruningMask mask = new PruningMask(masks);
        mask.apply(model);
        return mask;
    }

    /** Fraction of the prunable weights (Dense, Output, Convolution {@code W}) that are exactly zero. */
    public static double weightSparsity(Model model) {
        long zeros = 0;
        long total = 0;
        for (INDArray w : prunableWeights(NetworkView.of(model, "prune")).values()) {
            zeros += w.length() - w.neq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.LONG).sumNumber().longValue();
            total += w.length();
        }
        return total == 0 ? 0 : (double) zeros / total;
    }

    /** The weight matrix or kernel of every producer (Dense, Output, Convolution), by layer name. */
    static Map<String, INDArray> prunableWeights(NetworkView view) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Node n : view.nodes()) {
            if (n.isInput() || n.rules().channels() != Channels.PRODUCER) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : view.params(n).entrySet()) {
                ParamAxes axes = n.rules().axes(p.getKey());
                if (axes != null && axes.weight()) {
                    out.put(n.name(), p.getValue());
                    break; // one weight per layer: masks are keyed by layer
                }
            }
        }
        return out;
    }

    /** Marks the {@code round(fraction * n)} smallest |w| across {@code layers}; position breaks ties. */
    private static void zeroSmallest(List<String> layers, Map<String, double[]> values, Map<String, boolean[]> pruned,
            double fraction) {
        int n = layers.stream().mapToInt(l -> values.get(l).length).sum();
        long[] keys = new long[n];
        int at = 0;
        for (String layer : layers) {
            for (double v : values.get(layer)) {
                // |w| as float bits sorts like |w|; the low half keeps the position
                keys[at] = ((long) Float.floatToIntBits((float) Math.abs(v)) << 32) | at;
                at++;
            }
        }
        Arrays.sort(keys);
        int k = (int) Math.round(fraction * n);
        int[] offsets = new int[layers.size() + 1];
        for (int i = 0; i < layers.size(); i++) {
            offsets[i + 1] = offsets[i] + values.get(layers.get(i)).length;
        }
        for (int i = 0; i < k; i++) {
            int pos = (int) keys[i];
            int layer = Arrays.binarySearch(offsets, pos);
            layer = layer >= 0 ? layer : -layer - 2;
            pruned.get(layers.get(layer))[pos - offsets[layer]] = true;
        }
    }

    private static void check(String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("parameter '" + key + "' must be a fraction in [0, 1], got " + v);
        }
    }
}
