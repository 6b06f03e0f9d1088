package dev.topiary.pruner.unstructured;

import dev.topiary.surgery.graph.NetworkView;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which weights are pruned: a 0/1 array per pruned weight matrix, keyed by layer name. Fine-tuning
 * moves pruned weights away from zero on the very next step (their gradients are not zero), so
 * the mask is re-applied after every optimizer step to keep them exactly zero.
 *
 * <p>Only weight matrices ({@code W}) are masked; biases and BatchNormalization parameters are
 * never pruned: they are a tiny share of the parameters, and zeroing them shifts whole activations
 * rather than removing a connection.
 */
public final class PruningMask {
    private final Map<String, INDArray> masks;
    private WeakReference<Model> resolvedFor = new WeakReference<>(null);
    private List<INDArray[]> resolved = List.of();

    public PruningMask(Map<String, INDArray> masks) {
        this.masks = Map.copyOf(masks);
    }

    /** Layer name to mask (1 = keep, 0 = pruned), same shape as the layer's {@code W}. */
    public Map<String, INDArray> masks() {
        return masks;
    }

    /** Zeroes the pruned weights of {@code model} in place; cheap enough to call after every step. */
    public synchronized void apply(Model model) {
        if (resolvedFor.get() != model) {
            NetworkView view = NetworkView.of(model, "prune");
            List<INDArray[]> pairs = new java.util.ArrayList<>();
            Map<String, INDArray> weights = MagnitudePruner.prunableWeights(view);
            masks.forEach((layer, mask) -> pairs.add(new INDArray[] {weights.get(layer), mask}));
            resolved = pairs;
            resolvedFor = new WeakReference<>(model);
        }
        for (INDArray[] pair : resolved) {
            pair[0].muli(pair[1]);
        }
    }

    /** Number of weights the mask sets to zero. */
    public long pruned() {
        long n = 0;
        for (INDArray m : masks.values()) {
            n += m.length() - m.sumNumber().longValue();
        }
        return n;
    }

    /** Number of weights under the mask. */
    public long total() {
        return masks.values().stream().mapToLong(INDArray::length).sum();
    }

    /** Pruned weights per layer, as a fraction of that layer's weights. */
    public Map<String, Double> sparsityByLayer() {
        Map<String, Double> out = new LinkedHashMap<>();
        masks.forEach((k, m) -> out.put(k, 1.0 - m.sumNumber().doubleValue() / m.length()));
        return out;
    }
}
