package dev.topiary.pruner.unstructured;

import dev.topiary.pruner.graph.NetworkView;
import dev.topiary.pruner.graph.Node;
import java.util.ArrayList;
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
        Map<String, INDArray> masks = new LinkedHashMap<>();
        List<String> pool = new ArrayList<>();
        for (String layer : weights.keySet()) {
            if (overrides.containsKey(layer) || scope == Scope.LAYER) {
                masks.putAll(zeroSmallest(List.of(layer), weights, overrides.getOrDefault(layer, sparsity)));
            } else {
                pool.add(layer);
            }
        }
        if (!pool.isEmpty()) {
            masks.putAll(zeroSmallest(pool, weights, sparsity));
        }
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        weights.keySet().forEach(layer -> ordered.put(layer, masks.get(layer)));
        PruningMask mask = new PruningMask(ordered);
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

    static Map<String, INDArray> prunableWeights(NetworkView view) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Node n : view.nodes()) {
            if (n.kind().hasWeights()) {
                out.put(n.name(), view.params(n).get("W"));
            }
        }
        return out;
    }

    /**
     * Masks of the {@code round(fraction * n)} smallest |w| across {@code layers}, ties broken by
     * position (layer order, then index). Lean enough for models of hundreds of millions of
     * weights: one int per weight (|w|'s float bits, which order like |w|) to select the threshold
     * in linear time, then one layer at a time to mark; a sort of 8-byte keys over a copy of every
     * weight as a double took about 22 bytes a weight, six times the model's artifact.
     */
    private static Map<String, INDArray> zeroSmallest(List<String> layers, Map<String, INDArray> weights, double fraction) {
        long total = layers.stream().mapToLong(l -> weights.get(l).length()).sum();
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot rank " + total + " weights together (at most "
                    + (Integer.MAX_VALUE - 16) + "); use scope: layer");
        }
        int n = (int) total;
        int k = (int) Math.round(fraction * n);
        int[] bits = new int[n];
        int at = 0;
        for (String layer : layers) {
            for (float v : weights.get(layer).dup('c').data().asFloat()) {
                bits[at++] = magnitudeBits(v);
            }
        }
        int threshold = k == 0 ? Integer.MIN_VALUE : select(bits, k - 1); // the k-th smallest
        long below = 0;
        for (int b : bits) {
            if (b < threshold) {
                below++;
            }
        }
        bits = null; // let the ranking array go before the masks are built
        long tiesLeft = k - below;
        Map<String, INDArray> masks = new LinkedHashMap<>();
        for (String layer : layers) {
            INDArray w = weights.get(layer);
            float[] keep = w.dup('c').data().asFloat();
            for (int i = 0; i < keep.length; i++) {
                int b = magnitudeBits(keep[i]);
                boolean prune = b < threshold || (b == threshold && tiesLeft-- > 0);
                keep[i] = prune ? 0f : 1f;
            }
            masks.put(layer, Nd4j.create(keep, w.shape(), 'c').castTo(w.dataType()));
        }
        return masks;
    }

    private static int magnitudeBits(float v) {
        return Float.floatToIntBits(Math.abs(v));
    }

    /** The value that would sit at {@code index} were {@code a} sorted; reorders {@code a} (quickselect). */
    static int select(int[] a, int index) {
        int lo = 0;
        int hi = a.length - 1;
        java.util.Random random = new java.util.Random(42);
        while (lo < hi) {
            int pivot = a[lo + random.nextInt(hi - lo + 1)];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (index <= j) {
                hi = j;
            } else if (index >= i) {
                lo = i;
            } else {
                return a[index];
            }
        }
        return a[lo];
    }

    private static void check(String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("parameter '" + key + "' must be a fraction in [0, 1], got " + v);
        }
    }
}
