package dev.topiary.surgery.layers;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link DropoutLayer}: drops single activations while training, the identity at inference; no parameters. */
public final class DropoutRules implements LayerRules {

    @Override
    public Class<?> handles() {
        return DropoutLayer.class;
    }

    @Override
    public Channels channels() {
        return Channels.PASS_THROUGH;
    }

    @Override
    public void resize(Object config, long inputRows, long outputChannels) {
        DropoutLayer dropout = (DropoutLayer) config;
        if (dropout.getNIn() > 0) {
            dropout.setNIn(outputChannels);
            dropout.setNOut(outputChannels);
        }
    }

    @Override
    public Optional<String> makeIdentity(Object config, Map<String, INDArray> params) {
        return Optional.empty();
    }
}
