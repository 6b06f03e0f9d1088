package dev.topiary.nn.metrics;

import dev.topiary.surgery.graph.Network;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.params.DefaultParamInitializer;

/**
 * The {@code layers} metric: how many layers hold a weight matrix or kernel (dense, output,
 * convolution), the layers cutting removes and growing adds. Batch normalization (scale and shift
 * per channel), pooling, activation and dropout layers and graph vertices do not count.
 */
public final class WeightLayers {
    private WeightLayers() {}

    public static int count(Model model) {
        Layer[] layers = Network.of(model).layers();
        int count = 0;
        for (Layer layer : layers) {
            if (layer.paramTable(false).containsKey(DefaultParamInitializer.WEIGHT_KEY)) {
                count++;
            }
        }
        return count;
    }
}
