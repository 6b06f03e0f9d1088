package dev.topiary.surgery.layers;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link DenseLayer}: a producer, {@code W[nIn, nOut]}, bias {@code b}, and with layer norm a gain
 * {@code g} per channel. Its identity is {@code W = I, b = 0} with a linear or ReLU activation
 * (ReLU is the identity on the non-negative outputs of a ReLU before it).
 */
public final class DenseRules extends FeedForwardProducerRules {

    @Override
    public Class<?> handles() {
        return DenseLayer.class;
    }

    @Override
    public ParamAxes axes(String param) {
        return param.equals("g") ? ParamAxes.perChannel() : super.axes(param);
    }

    @Override
    public Optional<String> makeIdentity(Object config, Map<String, INDArray> params) {
        DenseLayer dense = (DenseLayer) config;
        if (dense.getNIn() != dense.getNOut()) {
            return Optional.of("DenseLayer maps " + dense.getNIn() + " inputs to " + dense.getNOut() + " outputs");
        }
        if (!(dense.getActivationFn() instanceof ActivationIdentity || dense.getActivationFn() instanceof ActivationReLU)) {
            return Optional.of("DenseLayer has activation " + dense.getActivationFn() + " (identity or ReLU needed)");
        }
        if (dense.hasLayerNorm()) {
            return Optional.of("DenseLayer has layer norm");
        }
        params.get("W").assign(Nd4j.eye(dense.getNIn()).castTo(params.get("W").dataType()));
        if (params.containsKey("b")) {
            params.get("b").assign(0);
        }
        return Optional.empty();
    }
}
