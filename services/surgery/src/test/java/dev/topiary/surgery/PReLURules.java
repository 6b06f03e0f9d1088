package dev.topiary.surgery;

import dev.topiary.surgery.layers.Channels;
import dev.topiary.surgery.layers.LayerRules;
import dev.topiary.surgery.layers.ParamAxes;
import org.deeplearning4j.nn.conf.layers.PReLULayer;

/**
 * Rules for a type surgery does not build in, registered the documented way (listed in this test
 * module's {@code META-INF/services/dev.topiary.surgery.layers.LayerRules}): a dense PReLU, one
 * learned slope per channel in {@code W[nIn]}.
 */
public final class PReLURules implements LayerRules {

    @Override
    public Class<?> handles() {
        return PReLULayer.class;
    }

    @Override
    public Channels channels() {
        return Channels.PASS_THROUGH;
    }

    @Override
    public ParamAxes axes(String param) {
        return param.equals("W") ? ParamAxes.perChannel() : null;
    }

    @Override
    public void resize(Object config, long inputRows, long outputChannels) {
        ((PReLULayer) config).setInputShape(new long[] {outputChannels});
    }
}
