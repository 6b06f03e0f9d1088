package dev.topiary.surgery.layers;

import dev.topiary.surgery.UnsupportedModelException;
import org.deeplearning4j.nn.conf.graph.MergeVertex;

/**
 * {@link MergeVertex}: concatenates its inputs along the channel axis (axis 1 for dense and NCHW
 * activations), so its output's channels are its first input's, then its second's, and so on. A
 * layer reading it reads several channel groups at consecutive offsets. Other merge axes are refused.
 */
public final class MergeRules implements LayerRules {

    @Override
    public Class<?> handles() {
        return MergeVertex.class;
    }

    @Override
    public Channels channels() {
        return Channels.CONCATENATED;
    }

    @Override
    public void check(Object config, String node, String operation) {
        int axis = ((MergeVertex) config).getMergeAxis();
        if (axis != 1) {
            throw new UnsupportedModelException(operation + ": vertex '" + node + "' of type MergeVertex merges along axis "
                    + axis + "; only the channel axis 1 (NCHW or dense) is supported");
        }
    }
}
