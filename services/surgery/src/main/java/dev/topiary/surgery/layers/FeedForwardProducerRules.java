package dev.topiary.surgery.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/**
 * What Dense and Output layers share: {@code W[nIn, nOut]} (inputs on axis 0, channels on axis 1),
 * a bias per channel, {@code nIn * nOut} MACs. Behind a CNN-to-dense flattening, {@code nIn} is
 * channels times {@code H*W}.
 */
abstract class FeedForwardProducerRules implements LayerRules {

    @Override
    public final Channels channels() {
        return Channels.PRODUCER;
    }

    @Override
    public ParamAxes axes(String param) {
        return switch (param) {
            case "W" -> ParamAxes.weight(1, 0);
            case "b" -> ParamAxes.perChannel();
            default -> null;
        };
    }

    @Override
    public final long outputChannels(Object config) {
        return ((FeedForwardLayer) config).getNOut();
    }

    @Override
    public final long inputRows(Object config) {
        return ((FeedForwardLayer) config).getNIn();
    }

    @Override
    public final void resize(Object config, long inputRows, long outputChannels) {
        FeedForwardLayer layer = (FeedForwardLayer) config;
        layer.setNIn(inputRows);
        layer.setNOut(outputChannels);
    }

    @Override
    public final long macs(Object config, InputType input, InputType output, long inputRows, long outputChannels) {
        return inputRows * outputChannels;
    }
}
