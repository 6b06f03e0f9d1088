package dev.topiary.surgery.layers;

import org.deeplearning4j.nn.conf.layers.OutputLayer;

/**
 * {@link OutputLayer}: indexed like a Dense layer, but its outputs are the classes the loss
 * compares with the labels, so they are never remapped (its channel group is fixed).
 */
public final class OutputLayerRules extends FeedForwardProducerRules {

    @Override
    public Class<?> handles() {
        return OutputLayer.class;
    }

    @Override
    public boolean fixedOutputs() {
        return true;
    }
}
