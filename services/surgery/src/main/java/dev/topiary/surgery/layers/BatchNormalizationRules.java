package dev.topiary.surgery.layers;

import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;

/**
 * {@link BatchNormalization}: follows its input's channels; every parameter ({@code gamma},
 * {@code beta}, the running {@code mean} and {@code var} or {@code log10stdev}) has one entry per
 * channel. No MACs: at inference it folds into the convolution or dense layer before it.
 */
public final class BatchNormalizationRules implements LayerRules {
    private static final Set<String> PARAMS = Set.of("gamma", "beta", "mean", "var", "log10stdev");

    @Override
    public Class<?> handles() {
        return BatchNormalization.class;
    }

    @Override
    public Channels channels() {
        return Channels.PASS_THROUGH;
    }

    @Override
    public void check(Object config, String node, String operation) {
        if (((BatchNormalization) config).getCnn2DFormat() == CNN2DFormat.NHWC) {
            throw Nhwc.refused(operation, node, typeName());
        }
    }

    @Override
    public ParamAxes axes(String param) {
        return PARAMS.contains(param) ? ParamAxes.perChannel() : null;
    }

    @Override
    public void resize(Object config, long inputRows, long outputChannels) {
        BatchNormalization bn = (BatchNormalization) config;
        if (bn.getNIn() > 0) {
            bn.setNIn(outputChannels);
            bn.setNOut(outputChannels);
        }
    }
}
