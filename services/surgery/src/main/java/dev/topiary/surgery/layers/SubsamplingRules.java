package dev.topiary.surgery.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/** {@link SubsamplingLayer} (max/average pooling): each channel pooled on its own; no parameters, no MACs. */
public final class SubsamplingRules implements LayerRules {

    @Override
    public Class<?> handles() {
        return SubsamplingLayer.class;
    }

    @Override
    public Channels channels() {
        return Channels.PASS_THROUGH;
    }

    @Override
    public void check(Object config, String node, String operation) {
        if (((SubsamplingLayer) config).getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            throw Nhwc.refused(operation, node, typeName());
        }
    }
}
