package dev.topiary.merger.fuse;

import dev.topiary.surgery.graph.Blueprint;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a fused network is filled: like {@link Blueprint.ParamFill#COPY}, except that an explicit
 * parameter with the right number of values but another shape (a bias computed as {@code [n]}
 * for a layer that keeps it as {@code [1, n]}) is reshaped rather than refused.
 */
final class FusedParams {
    private FusedParams() {}

    static final Blueprint.ParamFill FILL = (entry, from, to) -> {
        if (entry.params() == null) {
            Blueprint.ParamFill.COPY.fill(entry, from, to);
            return;
        }
        for (Map.Entry<String, INDArray> e : to.entrySet()) {
            INDArray value = entry.params().get(e.getKey());
            if (value == null) {
                throw new IllegalArgumentException("layer '" + entry.name() + "': no value for parameter '" + e.getKey() + "'");
            }
            Blueprint.assignChecked(entry.name(), e.getKey(), e.getValue(),
                    value.length() == e.getValue().length() ? value.reshape(e.getValue().shape()) : value);
        }
    };
}
