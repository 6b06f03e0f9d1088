package dev.topiary.surgery.layers;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;

/**
 * {@link ElementWiseVertex} (add, subtract, product, average, max): combines its inputs channel by
 * channel, so all of them must keep, repeat and permute the same channels: a residual add ties the
 * layers feeding it into one channel group. No parameters; adds are not counted as MACs.
 */
public final class ElementWiseRules implements LayerRules {

    @Override
    public Class<?> handles() {
        return ElementWiseVertex.class;
    }

    @Override
    public Channels channels() {
        return Channels.TIED;
    }
}
