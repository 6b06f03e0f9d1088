package dev.topiary.surgery.layers;

import dev.topiary.surgery.UnsupportedModelException;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;

/**
 * {@link GlobalPoolingLayer}: pools each channel over its height and width, so {@code [n, c, h, w]}
 * becomes {@code [n, c]} (or {@code [n, c, 1, 1]} without collapsing); the channels pass through.
 * Pooling over other dimensions would mix what a channel index means, so it is refused.
 */
public final class GlobalPoolingRules implements LayerRules {

    @Override
    public Class<?> handles() {
        return GlobalPoolingLayer.class;
    }

    @Override
    public Channels channels() {
        return Channels.PASS_THROUGH;
    }

    @Override
    public void check(Object config, String node, String operation) {
        int[] dims = ((GlobalPoolingLayer) config).getPoolingDimensions();
        if (dims != null && !Arrays.equals(dims, new int[] {2, 3}) && !Arrays.equals(dims, new int[] {2})) {
            throw new UnsupportedModelException(operation + ": layer '" + node + "' of type GlobalPoolingLayer pools over "
                    + "dimensions " + Arrays.toString(dims) + "; only pooling over height and width ([2, 3]) is supported");
        }
    }
}
