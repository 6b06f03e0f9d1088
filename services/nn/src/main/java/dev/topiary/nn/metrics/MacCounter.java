package dev.topiary.nn.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multiply-accumulates per sample, computed from layer shapes rather than timed, so that a
 * smaller model is visibly cheaper on any machine. The convention is the usual one for reporting
 * compression (as in Torch-Pruning and thop): count the multiplications by weights, and nothing
 * else.
 * <ul>
 *   <li>Dense and output layers: {@code nIn * nOut}.</li>
 *   <li>Convolution: {@code outH * outW * kH * kW * inC * outC}, with the output size taken from
 *       the network's configured input type.</li>
 *   <li>Biases, batch normalisation (folded into the convolution before it at inference),
 *       pooling, activations, dropout and element-wise vertices: 0.</li>
 *   <li>Any other layer with parameters: its parameter count, as if each weight were used once,
 *       with a warning, so an unfamiliar layer is not silently free.</li>
 * </ul>
 * A pruned model whose weights are zero but still present has the same MACs as before: that is the
 * point of reporting both MACs and non-zero parameters.
 */
public final class MacCounter {

    private static final Logger log = LoggerFactory.getLogger(MacCounter.class);
    private static final Set<String> warned = ConcurrentHashMap.newKeySet();

    private MacCounter() {}

    /** MACs per sample of the whole network. */
    public static long macs(Model model) {
        long total = 0;
        for (ShapedLayer layer : ShapedLayer.of(model)) {
            total += macs(layer);
        }
        return total;
    }

    static long macs(ShapedLayer shaped) {
        if (!(shaped.config() instanceof Layer layer)) {
            return 0; // graph vertices: element-wise adds, merges
        }
        if (layer.getClass() == ConvolutionLayer.class || layer.getClass() == Convolution2D.class) {
            ConvolutionLayer conv = (ConvolutionLayer) layer;
            InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) shaped.output();
            int[] kernel = conv.getKernelSize();
            return out.getHeight() * out.getWidth() * kernel[0] * kernel[1] * conv.getNIn() * conv.getNOut();
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
            FeedForwardLayer ff = (FeedForwardLayer) layer;
            return ff.getNIn() * ff.getNOut();
        }
        if (layer instanceof BatchNormalization || layer instanceof SubsamplingLayer
                || layer instanceof ActivationLayer || layer instanceof DropoutLayer || shaped.params() == null) {
            return 0;
        }
        if (warned.add(layer.getClass().getName())) {
            log.warn("No MAC formula for {} (layer '{}'): counting one MAC per parameter",
                    layer.getClass().getSimpleName(), shaped.name());
        }
        return shaped.params().length();
    }
}
