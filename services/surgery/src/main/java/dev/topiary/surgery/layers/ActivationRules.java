package dev.topiary.surgery.layers;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link ActivationLayer}: an element-wise function of each channel; no parameters, no MACs. As an
 * inserted layer it is an identity when linear, or ReLU after a ReLU.
 */
public final class ActivationRules implements LayerRules {

    @Override
    public Class<?> handles() {
        return ActivationLayer.class;
    }

    @Override
    public Channels channels() {
        return Channels.PASS_THROUGH;
    }

    @Override
    public Optional<String> makeIdentity(Object config, Map<String, INDArray> params) {
        var fn = ((ActivationLayer) config).getActivationFn();
        return fn instanceof ActivationIdentity || fn instanceof ActivationReLU ? Optional.empty()
                : Optional.of("ActivationLayer has activation " + fn + " (identity or ReLU needed)");
    }
}
