package dev.topiary.merger.combine;

import dev.topiary.surgery.graph.Network;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weight average of networks of one architecture (a model soup, Wortsman et al. 2022): every
 * parameter, BatchNormalization's running statistics included, is the weighted mean of the
 * ingredients' values. The result is a copy of the first ingredient with the averaged parameters.
 */
public final class Soup {
    private Soup() {}

    /** The uniform average of {@code nets}. */
    public static Network uniform(List<Network> nets) {
        double[] w = new double[nets.size()];
        java.util.Arrays.fill(w, 1.0 / nets.size());
        return weighted(nets, w);
    }

    /** {@code Σ wᵢθᵢ / Σ wᵢ}; weights must be non-negative with a positive sum. */
    public static Network weighted(List<Network> nets, double[] weights) {
        if (weights.length != nets.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + nets.size() + " models");
        }
        double total = java.util.Arrays.stream(weights).sum();
        Network soup = nets.get(0).copy();
        INDArray sum = nets.get(0).params().mul(weights[0] / total);
        for (int i = 1; i < nets.size(); i++) {
            sum.addi(nets.get(i).params().mul(weights[i] / total));
        }
        soup.params().assign(sum);
        return soup;
    }

    /** The network with flat parameters {@code params} (in DL4J's order) on the structure of {@code like}. */
    public static Network withParams(Network like, double[] params) {
        Network out = like.copy();
        INDArray p = out.params();
        p.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(params).castTo(p.dataType()).reshape(p.shape()));
        return out;
    }
}
